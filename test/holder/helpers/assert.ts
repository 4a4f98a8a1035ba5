import { expect } from 'vitest';

/** Awaits a promise that must reject with a NetcredError of `code`; returns the error. */
export async function rejectsCode(
  p: Promise<unknown>,
  code: string,
): Promise<{ code: string; message: string; details?: { path: string; message: string }[] }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected a rejection with ${code}`).toBeDefined();
  expect((err as { code?: string }).code, (err as Error).message).toBe(code);
  return err as { code: string; message: string };
}

/** Claim names of the disclosures in an SD-JWT(+KB) (array element disclosures as "[]"). */
export function disclosedNames(sdJwt: string): string[] {
  return sdJwt
    .split('~')
    .slice(1, -1)
    .map((d) => {
      const arr = JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as unknown[];
      return arr.length === 3 ? String(arr[1]) : '[]';
    });
}
