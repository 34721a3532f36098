/**
 * Identifiers as MLflow makes them: run ids are uuid4 hex (32 characters); file-store experiment ids follow
 * mlflow/utils/name_utils.py `_generate_unique_integer_id` (the last 18 decimal digits of a uuid4's integer,
 * each leading zero replaced by appending a random digit, so the id has 18 digits and no leading zero);
 * run names follow `_generate_random_name`'s `<adjective>-<noun>-<0..1000>` shape with our own words.
 */
import { randomInt, randomUUID } from "node:crypto";

export function newRunId(): string {
  return randomUUID().replace(/-/g, "");
}

export function newExperimentId(): string {
  const uuidInt = BigInt(`0x${randomUUID().replace(/-/g, "")}`);
  const tail = uuidInt.toString().slice(-18);
  let id = tail;
  for (const ch of tail) {
    if (ch !== "0") break;
    id += String(randomInt(0, 10));
  }
  return BigInt(id).toString();
}

const ADJECTIVES = [
  "amber", "brave", "calm", "clever", "crisp", "daring", "eager", "gentle", "glossy", "honest",
  "keen", "lively", "lucid", "mellow", "nimble", "polite", "quiet", "rapid", "sturdy", "sunny",
  "tidy", "vivid", "warm", "witty", "zesty",
];
const NOUNS = [
  "badger", "basket", "cedar", "comet", "crane", "delta", "falcon", "fern", "harbor", "heron",
  "lantern", "maple", "meadow", "orchid", "otter", "pebble", "quill", "river", "robin", "sparrow",
  "summit", "thistle", "walrus", "willow", "zebra",
];

export function randomRunName(): string {
  const adjective = ADJECTIVES[randomInt(0, ADJECTIVES.length)]!;
  const noun = NOUNS[randomInt(0, NOUNS.length)]!;
  return `${adjective}-${noun}-${randomInt(0, 1001)}`;
}
