// A CommonJS TypeScript consumer: `import ... from` compiles to require() here, so the
// package's CommonJS declarations (index.d.cts) are the ones checked.
import { StreamClient, StreamError } from "stream-edge";

export function signWithRequire(secret: string): string {
  const client = new StreamClient("key", secret);
  try {
    return client.generateUserToken({ user_id: "alice" });
  } catch (error) {
    if (error instanceof StreamError) return `${error.kind}: ${error.message}`;
    throw error;
  }
}
