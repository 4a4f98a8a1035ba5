/** The error `fn` throws (its code and message to assert on); a call that throws nothing fails the test. */
export function thrown(fn: () => unknown): { code?: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('expected a refusal, got none');
}
