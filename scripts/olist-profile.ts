// Prints the behaviours the models rely on (repeat buyers, same-category returns, basket sizes, popularity,
// delivery, reviews) for any Olist-format folder, real or generated:
//   npx tsx scripts/olist-profile.ts [RAW_DIR]          (default data/raw)
import { formatOlistProfile, profileOlist } from "../src/features/olist-profile.js";
import { buildFeatureTables } from "../src/features/build-features.js";
import { DEFAULT_RAW_DIR, validateRaw } from "../src/pipeline/data-steps.js";

const rawDir = process.argv[2] ?? DEFAULT_RAW_DIR;
const { olist, report } = validateRaw(rawDir, undefined);
console.log(`${rawDir}: ${report.origin.description}`);
console.log(formatOlistProfile(profileOlist(await buildFeatureTables(olist))));
