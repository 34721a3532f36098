import {
  DELIVERY_TARGETS,
  LATE_SCORE_SHARES,
  MESSAGE_NEWLINE_SHARE,
  MESSAGE_PROBABILITY_BY_SCORE,
  ORDER_STATUS_COUNTS,
  REVIEW_SCORE_SHARES,
  REVIEWS_PER_ORDER,
  TITLE_PROBABILITY,
  UNDELIVERED_SCORE_SHARES,
} from "./calibration.js";
import { DAY, HOUR, floorDay } from "./calendar.js";
import { CsvRows, datetime, int, renderCsv, str } from "./csv-writer.js";
import type { Order } from "./model.js";
import { IdFactory, Random, WeightedTable } from "./rng.js";

/**
 * Reviews: about one per order, scores skewed high and lower when the delivery was late or never came;
 * ~41% with a Portuguese message, ~12% with a title. A few orders have two reviews and a few review ids are
 * shared by two orders (the key is review_id + order_id).
 */

/** On-time score shares, solved so that the mix of on-time, late and undelivered gives the real overall shares. */
export function onTimeScoreShares(): number[] {
  const total = Object.values(ORDER_STATUS_COUNTS).reduce((a, b) => a + b, 0);
  const u = 1 - ORDER_STATUS_COUNTS.delivered / total;
  const l = DELIVERY_TARGETS.lateShare;
  const raw = REVIEW_SCORE_SHARES.map((o, i) =>
    Math.max((o - (1 - u) * l * LATE_SCORE_SHARES[i]! - u * UNDELIVERED_SCORE_SHARES[i]!) / ((1 - u) * (1 - l)), 0),
  );
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((x) => x / sum);
}

const scoreTables = {
  onTime: new WeightedTable(onTimeScoreShares()),
  late: new WeightedTable(LATE_SCORE_SHARES),
  undelivered: new WeightedTable(UNDELIVERED_SCORE_SHARES),
};

const TITLES = {
  good: ["Recomendo", "Super recomendo", "Ótimo", "Excelente", "Muito bom", "Perfeito", "Amei", "Top", "Gostei", "5 estrelas"],
  neutral: ["Bom", "Razoável", "Regular", "Ok", "Mais ou menos"],
  bad: ["Péssimo", "Não recebi", "Produto com defeito", "Ruim", "Não recomendo", "Decepcionada"],
} as const;

const MESSAGES = {
  good: [
    "Produto muito bom, recomendo",
    "Chegou antes do prazo",
    "Entrega rápida, produto de qualidade",
    "Gostei muito do produto",
    "Tudo certo, dentro do prazo",
    "Excelente produto, chegou bem embalado",
    "Muito satisfeita com a compra",
    "Recomendo a loja",
    "Produto conforme o anunciado",
    "Ótimo custo-benefício",
    "chegou tudo certinho",
    "Superou minhas expectativas",
    "Vendedor atencioso, entrega no prazo",
    "Comprarei novamente",
    "bem embalado e de ótima qualidade",
    "Meu filho adorou o presente",
  ],
  neutral: [
    "Produto bom, mas a entrega demorou",
    "Ainda não testei o produto",
    "A qualidade poderia ser melhor",
    "Veio diferente da foto, mas serve",
    "Demorou um pouco para chegar",
    "Razoável pelo preço",
    "A embalagem chegou amassada, mas o produto está ok",
    "O tamanho é menor do que eu esperava",
  ],
  bad: [
    "Produto veio com defeito",
    "Péssimo, não recomendo",
    "O produto não é o mesmo do anúncio",
    "Entrega atrasada, sem nenhuma informação",
    "Veio quebrado, quero a troca",
    "Produto de má qualidade",
    "Comprei dois e recebi apenas um",
    "Quero meu dinheiro de volta",
  ],
  missing: [
    "Não recebi o produto",
    "Ainda não recebi meu pedido",
    "Até agora nada, estou aguardando",
    "O prazo de entrega já passou e não chegou",
    "Paguei e não recebi, quero o reembolso",
  ],
} as const;

type Mood = "good" | "neutral" | "bad" | "missing";

function moodOf(score: number, delivered: boolean): Mood {
  if (score >= 4) return "good";
  if (score === 3) return "neutral";
  return delivered ? "bad" : "missing";
}

function message(rng: Random, mood: Mood): string {
  const pool = MESSAGES[mood];
  const parts = rng.int(1, 3);
  let text = rng.pick(pool);
  for (let k = 1; k < parts; k++) {
    const next = rng.pick(pool);
    if (next === text) continue;
    const r = rng.next();
    const sep = r < MESSAGE_NEWLINE_SHARE ? (rng.bernoulli(0.5) ? "\r\n" : "\n") : r < 0.6 ? ". " : ", ";
    text += sep + (sep === ", " ? next.charAt(0).toLowerCase() + next.slice(1) : next);
  }
  const end = rng.next();
  return end < 0.35 ? `${text}.` : end < 0.45 ? `${text}!` : text;
}

function title(rng: Random, score: number): string {
  return rng.pick(score >= 4 ? TITLES.good : score === 3 ? TITLES.neutral : TITLES.bad);
}

export interface ReviewRow {
  readonly reviewId: string;
  readonly order: Order;
  readonly score: number;
  readonly title: string | null;
  readonly message: string | null;
  readonly created: number;
  readonly answered: number;
}

export function buildReviews(seed: string, orders: readonly Order[]): ReviewRow[] {
  const rng = new Random(seed, "reviews");
  const ids = new IdFactory(new Random(seed, "ids/review"));
  const rows: ReviewRow[] = [];

  const draw = (o: Order, createdBase: number, reviewId: string): ReviewRow => {
    const delivered = o.delivered !== null;
    const late = delivered && o.delivered! > o.estimated;
    const table = !delivered ? scoreTables.undelivered : late ? scoreTables.late : scoreTables.onTime;
    const score = table.pick(rng) + 1;
    const hasMessage = rng.bernoulli(MESSAGE_PROBABILITY_BY_SCORE[score - 1]!);
    const hasTitle = rng.bernoulli(TITLE_PROBABILITY);
    const created = floorDay(createdBase);
    const answered = created + Math.max(rng.lognormal(1.5 * DAY, 0.45), 2 * HOUR);
    return {
      reviewId,
      order: o,
      score,
      title: hasTitle ? title(rng, score) : null,
      message: hasMessage ? message(rng, moodOf(score, delivered)) : null,
      created,
      answered: Math.floor(answered),
    };
  };

  let previous: ReviewRow | undefined;
  for (const o of orders) {
    const none = rng.bernoulli(REVIEWS_PER_ORDER.none);
    const two = rng.bernoulli(REVIEWS_PER_ORDER.two);
    const shared = rng.bernoulli(REVIEWS_PER_ORDER.sharedId);
    const secondGap = rng.int(1, 20) * DAY;
    if (none) continue;
    const base = o.delivered !== null ? o.delivered + DAY : o.estimated;
    let row: ReviewRow;
    if (shared && previous !== undefined) row = { ...previous, order: o };
    else row = draw(o, base, ids.next());
    rows.push(row);
    previous = row;
    if (two) rows.push(draw(o, row.created + secondGap, ids.next()));
  }
  return rows;
}

/** olist_order_reviews_dataset.csv, rows in `rowOrder`. */
export function renderReviews(rows: readonly ReviewRow[], rowOrder: Int32Array): string {
  const lines = new CsvRows();
  for (let r = 0; r < rowOrder.length; r++) {
    const v = rows[rowOrder[r]!]!;
    lines.push(
      `${str(v.reviewId)},${str(v.order.id)},${int(v.score)},${str(v.title)},${str(v.message)},` +
      `${datetime(v.created)},${datetime(v.answered)}`
    );
  }
  return renderCsv("order_reviews", lines);
}
