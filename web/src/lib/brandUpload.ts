import { api, ok } from "../api/client";
import { ApiError } from "../api/errors";

export type ImageKind = "logo" | "icon" | "strip";
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
type ImageType = (typeof IMAGE_TYPES)[number];

function isImageType(type: string): type is ImageType {
  return (IMAGE_TYPES as readonly string[]).includes(type);
}

/**
 * A brand image sent straight to storage: a presigned POST from the API, then the file itself to its URL. The image
 * is checked on the server when a brand names it; here only what the upload form could never take is refused.
 */
export async function uploadBrandImage(kind: ImageKind, file: File): Promise<string> {
  if (!isImageType(file.type)) throw new ApiError(422, "IMAGE_INVALID", "Only PNG, JPEG or WebP images.", []);
  const ticket = await ok(api.POST("/api/business/images", { body: { kind, contentType: file.type } }));
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.upload.fields)) form.append(name, value);
  form.append("file", file);
  const sent = await fetch(ticket.upload.url, { method: "POST", body: form });
  if (!sent.ok) throw new ApiError(sent.status, "UPLOAD_REFUSED", "The image was refused by the storage.", []);
  return ticket.imageId;
}
