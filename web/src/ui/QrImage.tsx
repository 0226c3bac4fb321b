import QRCode from "qrcode";
import { useEffect, useState } from "preact/hooks";

/** A QR code of `text`, drawn in the browser (no image service), with `label` as its accessible name. */
export function QrImage({ text, label, size = 220 }: { text: string; label: string; size?: number }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    QRCode.toDataURL(text, { width: size, margin: 2, errorCorrectionLevel: "M" }).then((url) => current && setSrc(url));
    return () => {
      current = false;
    };
  }, [text, size]);
  return src ? <img src={src} alt={label} width={size} height={size} class="qr" /> : null;
}
