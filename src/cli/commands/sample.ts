import { DEFAULT_SAMPLE_ORDERS, DEFAULT_SAMPLE_SEED, writeOlistSample } from "../../data/sample/index.js";
import { checkOutputDirectory } from "../../io/path-checks.js";
import { positiveInteger, stringOption, type Command } from "../command.js";
import { timed } from "../progress.js";

export const sampleCommand: Command = {
  name: "sample",
  brief: "generate the seeded Olist-like sample (nine CSV files)",
  usage: "sample --out DIR [--orders N] [--seed S]",
  summary:
    "Generate a seeded Olist-like sample: the nine Olist CSV files with Olist's names, headers and formats. The same seed gives byte-identical files.",
  options: {
    out: { type: "string", valueName: "DIR", description: "folder to write the nine CSV files into (created if missing)" },
    orders: { type: "string", valueName: "N", description: "number of orders", default: String(DEFAULT_SAMPLE_ORDERS) },
    seed: { type: "string", valueName: "S", description: "random seed", default: DEFAULT_SAMPLE_SEED },
  },
  async run(values) {
    const out = stringOption(values["out"], "out");
    const orders = positiveInteger(values["orders"], "orders");
    const seed = stringOption(values["seed"], "seed");
    checkOutputDirectory(out);
    await timed(`sample: ${orders.toLocaleString("en-US")} orders, seed "${seed}" -> ${out}`, () => writeOlistSample(out, { orders, seed }));
    return 0;
  },
};
