import jsQR from "jsqr";

/**
 * Reads QR codes from the back camera: frames are drawn onto a canvas a few times a second and decoded with jsQR,
 * until `onCode` accepts one (returns true) or `stop()` is called.
 */
export interface CameraScan {
  stop: () => void;
}

const FRAME_MS = 150;

export async function scanWithCamera(video: HTMLVideoElement, onCode: (text: string) => boolean): Promise<CameraScan> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  video.srcObject = stream;
  video.setAttribute("playsinline", "true");
  await video.play();
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    stream.getTracks().forEach((track) => track.stop());
    video.srcObject = null;
  };
  const tick = () => {
    if (stopped || !context) return;
    if (video.videoWidth > 0) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
      if (found && onCode(found.data)) {
        stop();
        return;
      }
    }
    timer = setTimeout(tick, FRAME_MS);
  };
  tick();
  return { stop };
}
