import { readFileSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

/** The flags that make Chromium's camera play `y4m` in a loop (one browser launch per file). */
export function fakeCameraArgs(y4m: string): string[] {
  return ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`];
}

/**
 * Writes a `.y4m` video (YUV 4:2:0, grayscale) that shows the PNG (a wallet's QR code) centered
 * on white, scaled with nearest neighbour to fit `qrSize` pixels: what a camera held in front of
 * a phone screen would see, minus the blur. Chromium loops the `frames` frames.
 */
export function pngToY4m(
  png: Buffer | string,
  y4m: string,
  options: { width?: number; height?: number; qrSize?: number; frames?: number; fps?: number } = {},
): string {
  const image = PNG.sync.read(typeof png === 'string' ? readFileSync(png) : png);
  const width = options.width ?? 800;
  const height = options.height ?? 600;
  if (width % 2 || height % 2) throw new Error('y4m 4:2:0 needs an even width and height');
  // A whole number of video pixels per image pixel (crisp modules), unless a size is asked for.
  const room = Math.min(width, height) - 40;
  const whole = Math.floor(room / image.width);
  const size = Math.min(options.qrSize ?? (whole >= 1 ? whole * image.width : room), width, height);
  const luma = Buffer.alloc(width * height, 235);
  const left = Math.floor((width - size) / 2);
  const top = Math.floor((height - size) / 2);
  for (let y = 0; y < size; y++) {
    const sy = Math.min(image.height - 1, Math.floor((y * image.height) / size));
    for (let x = 0; x < size; x++) {
      const sx = Math.min(image.width - 1, Math.floor((x * image.width) / size));
      const i = (sy * image.width + sx) * 4;
      const a = image.data[i + 3]! / 255;
      // BT.601 luma of the pixel over white, in the video range 16..235.
      const l = (0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!) * a + 255 * (1 - a);
      luma[(top + y) * width + left + x] = Math.round(16 + (l * 219) / 255);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frames = options.frames ?? 2;
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${options.fps ?? 10}:1 Ip A1:1 C420jpeg\n`, 'ascii')];
  for (let f = 0; f < frames; f++) parts.push(Buffer.from('FRAME\n', 'ascii'), luma, chroma);
  writeFileSync(y4m, Buffer.concat(parts));
  return y4m;
}
