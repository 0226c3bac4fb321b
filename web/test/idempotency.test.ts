import { expect, test } from "vitest";
import { ApiError } from "../src/api/errors";
import { newIdempotencyKey, passKey, sendIdempotent } from "../src/api/idempotency";

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

test("a pass's key names that pass, is new for every action and fits the contract's 128 characters", () => {
  const pass = { customerId: "cus_abcdefghijklmnopqrstuvwxyz", offerId: "off_abcdefghijklmnopqrstuvwxyz" };
  const first = passKey(pass);
  const second = passKey(pass);
  expect(first).toMatch(/^pass\.cus_abcdefghijklmnopqrstuvwxyz\.off_abcdefghijklmnopqrstuvwxyz\.[0-9a-f]{32}$/);
  expect(second).not.toBe(first);
  const longest = { customerId: `cus_${"a".repeat(40)}`, offerId: `off_${"b".repeat(40)}` };
  expect(passKey(longest).length).toBeLessThanOrEqual(128);
});
