import { expect, test } from "vitest";
import { ApiError } from "../src/api/errors";
import { newIdempotencyKey, sendIdempotent } from "../src/api/idempotency";

const noWait = { attempts: 3, delayMs: 1, sleep: async () => undefined };

test("a network failure is retried with the same key", async () => {
  const keys: string[] = [];
  const answer = await sendIdempotent(
    "key-1",
    async (key) => {
      keys.push(key);
      if (keys.length < 3) throw new TypeError("Failed to fetch");
      return "stamped";
    },
    noWait,
  );
  expect(answer).toBe("stamped");
  expect(keys).toEqual(["key-1", "key-1", "key-1"]);
});

test("a refusal is not retried: the server already decided", async () => {
  let calls = 0;
  const refusal = new ApiError(409, "REWARD_READY", "full");
  await expect(
    sendIdempotent("key-2", async () => {
      calls += 1;
      throw refusal;
    }, noWait),
  ).rejects.toBe(refusal);
  expect(calls).toBe(1);
});

test("retries stop after the policy's attempts", async () => {
  let calls = 0;
  await expect(
    sendIdempotent("key-3", async () => {
      calls += 1;
      throw new TypeError("offline");
    }, noWait),
  ).rejects.toBeInstanceOf(TypeError);
  expect(calls).toBe(3);
});

test("each action gets a new key", () => {
  expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
});
