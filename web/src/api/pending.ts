/**
 * What openapi.json does not say yet, typed in the generated paths' shape and called through the same client: the
 * pass preview's Google half, which the document gives as free-form objects (contract.ts names the fields the
 * preview card reads). The entry leaves as soon as the generated schema.d.ts types it (`make client`).
 */
import type { paths } from "./schema";
import type { PassPreview } from "./contract";

type Preview = paths["/api/offers/{offerId}/pass-preview"];
type PreviewPost = Preview["post"];

interface Pending {
  "/api/offers/{offerId}/pass-preview": Omit<Preview, "post"> & {
    post: Omit<PreviewPost, "responses"> & {
      responses: Omit<PreviewPost["responses"], 200> & {
        200: { headers: { [name: string]: unknown }; content: { "application/json": PassPreview } };
      };
    };
  };
}

export type ApiPaths = Omit<paths, keyof Pending> & Pending;
