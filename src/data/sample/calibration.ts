/**
 * Figures the sample generator is calibrated on. Each block says where its figures come from:
 *
 * - "measured": computed by us from the four real Kaggle files in /work/shared/olist
 *   (olist_order_payments_dataset, olist_products_dataset, olist_sellers_dataset,
 *   product_category_name_translation), with a CSV parser over the whole file. Only aggregates are kept.
 * - "known": published figures of the five files that are not available here (orders, customers,
 *   order_items, order_reviews, geolocation), as given in the project brief and in widely published
 *   analyses of the dataset; several are exact (their parts sum to the known row counts).
 * - "estimate": our choice where no real figure was available, tuned so the generated data shows the
 *   known aggregate (each says which one).
 */

/* ------------------------------------------------------------------ scale (known, DESIGN.md) */

/** Real row counts used to scale the sample to `orders`. */
export const REAL = {
  orders: 99_441,
  items: 112_650,
  products: 32_951,
  sellers: 3_095,
  reviews: 99_224,
  payments: 103_886,
} as const;

/* ------------------------------------------------------------------ calendar (known) */

/**
 * Orders per purchase month in the real orders file, 2016-09 .. 2018-10 (known; the 26 figures sum to
 * exactly 99,441). Nov 2016 has none, Dec 2016 one; Sep-Oct 2018 hold a handful, nearly all canceled.
 */
export const MONTHLY_ORDERS: readonly (readonly [month: string, orders: number])[] = [
  ["2016-09", 4], ["2016-10", 324], ["2016-11", 0], ["2016-12", 1],
  ["2017-01", 800], ["2017-02", 1780], ["2017-03", 2682], ["2017-04", 2404], ["2017-05", 3700], ["2017-06", 3245],
  ["2017-07", 4026], ["2017-08", 4331], ["2017-09", 4285], ["2017-10", 4631], ["2017-11", 7544], ["2017-12", 5673],
  ["2018-01", 7269], ["2018-02", 6728], ["2018-03", 7211], ["2018-04", 6939], ["2018-05", 6873], ["2018-06", 6167],
  ["2018-07", 6292], ["2018-08", 6512], ["2018-09", 16], ["2018-10", 4],
];

/** First and last purchase day of the real orders file (known). */
export const FIRST_PURCHASE_DAY = "2016-09-04";
export const LAST_PURCHASE_DAY = "2018-10-17";
/** In Oct 2016 (the platform's launch) nearly all orders fall on Oct 3-10 (known); other days get this weight. */
export const OCT_2016_LAUNCH_DAYS: readonly [number, number] = [3, 10];

/** Orders by weekday of purchase, Monday first (known; sums to 99,441). */
export const WEEKDAY_ORDERS: readonly number[] = [16_196, 15_963, 15_552, 14_761, 14_122, 10_887, 11_960];

/** Orders by hour of purchase, 0h..23h (known; sums to 99,441). */
export const HOUR_ORDERS: readonly number[] = [
  2394, 1170, 510, 272, 206, 188, 502, 1231, 2967, 4785, 6177, 6578, 5995, 6518, 6569, 6454, 6675, 6150, 5769, 5982, 6193,
  6217, 5816, 4123,
];

/**
 * Days with a fixed number of orders (known approximately): Black Friday 2017-11-24 had 1,176 orders, about
 * 6x the average of the other November days; the weekend after stays high.
 */
export const SPECIAL_DAYS: readonly (readonly [day: string, orders: number])[] = [
  ["2017-11-24", 1176],
  ["2017-11-25", 499],
  ["2017-11-26", 391],
  ["2017-11-27", 403],
];

/* ------------------------------------------------------------------ orders (known) */

/** Order status counts in the real orders file (known; sum 99,441). */
export const ORDER_STATUS_COUNTS = {
  delivered: 96_478,
  shipped: 1_107,
  canceled: 625,
  unavailable: 609,
  invoiced: 314,
  processing: 301,
  created: 5,
  approved: 2,
} as const;

/**
 * Orders without any item row: 775 of 99,441 (known; published analyses split them as unavailable 603 of
 * 609, canceled 164 of 625, created 5 of 5, and 3 others, left out here). Probabilities per status.
 */
export const NO_ITEMS_PROBABILITY: Readonly<Record<string, number>> = {
  unavailable: 603 / 609,
  created: 1,
  canceled: 164 / 625,
};

/**
 * Share of canceled orders with an approval date (~78%), a carrier date (~12%) and a customer delivery
 * date (~1%) (known approximately, from published analyses: ~141 of 625 canceled orders have no approval,
 * ~75 a carrier date, 6 a delivery date).
 */
export const CANCELED_DATES = { approved: 484 / 625, carrier: 75 / 625, delivered: 6 / 625 } as const;

/**
 * Delivery times (known): purchase to customer median ~10 days (mean ~12); estimated delivery date ~23
 * days after purchase on average; ~8% of delivered orders arrive after the estimated date; purchase to
 * carrier median ~3 days. The model's parameters (see orders.ts) are estimates tuned to these.
 */
export const DELIVERY_TARGETS = { medianDays: 10, estimatedMeanDays: 23, lateShare: 0.08 } as const;

/* ------------------------------------------------------------------ customers (known) */

/** Customers (= orders) by state in the real customers file (known; sum 99,441). */
export const CUSTOMER_STATE_COUNTS: Readonly<Record<string, number>> = {
  SP: 41_746, RJ: 12_852, MG: 11_635, RS: 5_466, PR: 5_045, SC: 3_637, BA: 3_380, DF: 2_140, ES: 2_033, GO: 2_020,
  PE: 1_652, CE: 1_336, PA: 975, MT: 907, MA: 747, MS: 715, PB: 536, PI: 495, RN: 485, AL: 413, SE: 350, TO: 280,
  RO: 253, AM: 148, AC: 81, AP: 68, RR: 46,
};

/**
 * Orders per person (customer_unique_id) among people with more than one order (known, delivered
 * orders: 2,802 repeat buyers: 2,573 with 2 orders, 181 with 3, 29 with 4, 9 with 5, 5 with 6, 3 with 7,
 * 1 with 9, 1 with 17).
 */
export const REPEAT_ORDER_COUNTS: readonly (readonly [orders: number, people: number])[] = [
  [2, 2573], [3, 181], [4, 29], [5, 9], [6, 5], [7, 3], [9, 1], [17, 1],
];
/**
 * Share of people (customer_unique_id) with more than one order: ~3.0% (known: 2,801 of 93,358 among
 * delivered orders; see docs/sample-data.md on the all-orders figure). The generator draws 3.2% repeat
 * buyers because some of their later orders would fall after the last purchase day and go to new one-order
 * people instead; ~2.9-3.0% remain.
 */
export const REPEAT_PERSON_SHARE = 0.032;
/**
 * A repeat buyer's next order is in the same category as the previous one ~47% of the time (known). The
 * generator draws "same category" with this probability; a fresh draw can also land on the same category
 * by chance (~5% of the rest), so the observed share comes out near 0.47.
 */
export const SAME_CATEGORY_PROBABILITY = 0.44;
/**
 * Gap between a person's consecutive orders, median ~30 days (known). Estimate of the shape: 20% within
 * two days (several orders placed together), the rest log-normal with median 45 days and log-sd 1.0.
 */
export const REPEAT_GAP = { sameDayShare: 0.2, sameDayMaxDays: 2, medianDays: 45, logSd: 1.0, maxDays: 600 } as const;

/**
 * Per-person latent spend level (estimate): a log-scale shift, normal with this sd, plus a regional shift
 * (real average order values are higher in the North and Northeast, known qualitatively).
 */
export const SPEND = { sd: 1, regionShift: { SE: 0, S: 0, CO: 0.15, NE: 0.35, N: 0.4 } } as const;
/**
 * How spend shows (estimate): for a product pick, `candidates` Zipf draws are made and, with probability
 * min(maxShare, perUnit x |spend|), the priciest (spend > 0) or cheapest (spend < 0) of them is taken; a
 * new category is the pricier (cheaper) of two draws with probability min(maxCategoryShare,
 * categoryPerUnit x |spend|).
 */
export const SPEND_CHOICE = { candidates: 3, perUnit: 0.6, maxShare: 0.9, categoryPerUnit: 0.3, maxCategoryShare: 0.5 } as const;

/**
 * Customers share zip prefixes (known: 14,994 distinct prefixes for 99,441 customers; measured: 2,246
 * for 3,095 sellers). Within a city, prefixes are drawn at position floor(size x u^concentration) of a
 * random popularity order (estimates tuned to those counts).
 */
export const ZIP_CONCENTRATION = { customers: 10, sellers: 2.2 } as const;

/* ------------------------------------------------------------------ items (known) */

/**
 * Items per order among the 98,666 orders that have items (known; sum of count x orders = 112,650):
 * 88,863 orders with 1 item, 7,516 with 2, 1,322 with 3, ... 1 with 21.
 */
export const ITEMS_PER_ORDER: readonly (readonly [items: number, orders: number])[] = [
  [1, 88_863], [2, 7_516], [3, 1_322], [4, 505], [5, 204], [6, 198], [7, 22], [8, 8], [9, 3], [10, 8], [11, 4], [12, 5],
  [13, 1], [14, 2], [15, 2], [20, 2], [21, 1],
];
/**
 * Multi-item orders (estimate of the known pattern "often the same product, otherwise related"): share
 * of multi-item orders that hold one product several times; for the others, each further line repeats the
 * previous product with `repeatLine`, else is a related product: same category with `sameCategory`,
 * otherwise a complementary category.
 */
export const BASKET = { singleProductShare: 0.62, repeatLine: 0.35, sameCategory: 0.65 } as const;
/** Within a category, product popularity is Zipf-like with this exponent (estimate, see docs). */
export const PRODUCT_ZIPF_EXPONENT = 1.05;
/** Item price equals the product's list price this often; otherwise it differs by up to +-10% (estimate). */
export const PRICE_STABILITY = 0.85;

/* ------------------------------------------------------------------ products (measured) */

/**
 * Product count per category in olist_products_dataset (measured; 73 named categories + "" for the 610
 * products without a category; sum 32,951). Used as each category's share of products and of demand.
 */
export const CATEGORY_PRODUCT_COUNTS: Readonly<Record<string, number>> = {
  cama_mesa_banho: 3029, esporte_lazer: 2867, moveis_decoracao: 2657, beleza_saude: 2444, utilidades_domesticas: 2335,
  automotivo: 1900, informatica_acessorios: 1639, brinquedos: 1411, relogios_presentes: 1329, telefonia: 1134,
  bebes: 919, perfumaria: 868, papelaria: 849, fashion_bolsas_e_acessorios: 849, cool_stuff: 789,
  ferramentas_jardim: 753, pet_shop: 719, "": 610, eletronicos: 517, construcao_ferramentas_construcao: 400,
  eletrodomesticos: 370, malas_acessorios: 349, consoles_games: 317, moveis_escritorio: 309,
  instrumentos_musicais: 289, eletroportateis: 231, casa_construcao: 225, livros_interesse_geral: 216,
  fashion_calcados: 173, moveis_sala: 156, climatizacao: 124, livros_tecnicos: 123, telefonia_fixa: 116,
  casa_conforto: 111, market_place: 104, alimentos_bebidas: 104, fashion_roupa_masculina: 95,
  moveis_cozinha_area_de_servico_jantar_e_jardim: 94, sinalizacao_e_seguranca: 93,
  construcao_ferramentas_seguranca: 91, eletrodomesticos_2: 90, construcao_ferramentas_jardim: 88, alimentos: 82,
  bebidas: 81, construcao_ferramentas_iluminacao: 78, agro_industria_e_comercio: 74,
  industria_comercio_e_negocios: 68, artigos_de_natal: 65, audio: 58, artes: 55, fashion_underwear_e_moda_praia: 53,
  dvds_blu_ray: 48, moveis_quarto: 45, construcao_ferramentas_ferramentas: 39, livros_importados: 31,
  portateis_casa_forno_e_cafe: 31, pcs: 30, cine_foto: 28, fashion_roupa_feminina: 27, musica: 27,
  artigos_de_festas: 26, fashion_esporte: 19, artes_e_artesanato: 19, flores: 14, fraldas_higiene: 12, la_cuisine: 10,
  portateis_cozinha_e_preparadores_de_alimentos: 10, moveis_colchao_e_estofado: 10, tablets_impressao_imagem: 9,
  fashion_roupa_infanto_juvenil: 5, casa_conforto_2: 5, pc_gamer: 3, seguros_e_servicos: 2, cds_dvds_musicais: 1,
};

/** Median product weight (g) per category (measured); the generator shifts the global weight curve by it. */
export const CATEGORY_MEDIAN_WEIGHT_G: Readonly<Record<string, number>> = {
  cama_mesa_banho: 1250, esporte_lazer: 750, moveis_decoracao: 1200, beleza_saude: 525, utilidades_domesticas: 1050,
  automotivo: 900, informatica_acessorios: 400, brinquedos: 700, relogios_presentes: 350, telefonia: 200, bebes: 850,
  perfumaria: 400, papelaria: 650, fashion_bolsas_e_acessorios: 200, cool_stuff: 1100, ferramentas_jardim: 1130,
  pet_shop: 850, "": 700, eletronicos: 250, construcao_ferramentas_construcao: 1450, eletrodomesticos: 350,
  malas_acessorios: 950, consoles_games: 350, moveis_escritorio: 11600, instrumentos_musicais: 1050,
  eletroportateis: 1700, casa_construcao: 1000, livros_interesse_geral: 500, fashion_calcados: 900, moveis_sala: 6200,
  climatizacao: 3400, livros_tecnicos: 700, telefonia_fixa: 429, casa_conforto: 2200, market_place: 550,
  alimentos_bebidas: 600, fashion_roupa_masculina: 500, moveis_cozinha_area_de_servico_jantar_e_jardim: 10100,
  sinalizacao_e_seguranca: 575, construcao_ferramentas_seguranca: 600, eletrodomesticos_2: 9250,
  construcao_ferramentas_jardim: 1075, alimentos: 550, bebidas: 1300, construcao_ferramentas_iluminacao: 1000,
  agro_industria_e_comercio: 2700, industria_comercio_e_negocios: 4350, artigos_de_natal: 550, audio: 400, artes: 700,
  fashion_underwear_e_moda_praia: 300, dvds_blu_ray: 200, moveis_quarto: 10600, construcao_ferramentas_ferramentas: 800,
  livros_importados: 650, portateis_casa_forno_e_cafe: 1600, pcs: 8750, cine_foto: 400, fashion_roupa_feminina: 500,
  musica: 250, artigos_de_festas: 1350, fashion_esporte: 250, artes_e_artesanato: 500, flores: 600, fraldas_higiene: 600,
  la_cuisine: 2700, portateis_cozinha_e_preparadores_de_alimentos: 1200, moveis_colchao_e_estofado: 10750,
  tablets_impressao_imagem: 300, fashion_roupa_infanto_juvenil: 300, casa_conforto_2: 700, pc_gamer: 800,
  seguros_e_servicos: 1225, cds_dvds_musicais: 550,
};

/**
 * Median list price (BRL) per category (estimate: the ordering follows published average item prices
 * per category of the real items file, e.g. pcs ~1,100, portateis_casa_forno_e_cafe ~620, relogios ~200,
 * telefonia ~70, flores ~35; levels scaled so that the generated items show the known overall item price
 * median ~75 and mean ~120 BRL). Missing categories use DEFAULT_PRICE_MEDIAN.
 */
export const CATEGORY_PRICE_MEDIAN: Readonly<Record<string, number>> = {
  pcs: 826, portateis_casa_forno_e_cafe: 444, eletrodomesticos_2: 340, agro_industria_e_comercio: 227,
  instrumentos_musicais: 176, eletroportateis: 176, portateis_cozinha_e_preparadores_de_alimentos: 186,
  telefonia_fixa: 134, construcao_ferramentas_seguranca: 134, relogios_presentes: 134, climatizacao: 119,
  moveis_quarto: 124, pc_gamer: 113, moveis_escritorio: 113, cool_stuff: 109, malas_acessorios: 98,
  moveis_colchao_e_estofado: 93, consoles_games: 83, moveis_sala: 87, moveis_cozinha_area_de_servico_jantar_e_jardim: 87,
  ferramentas_jardim: 73, beleza_saude: 77, bebes: 77, esporte_lazer: 73, informatica_acessorios: 67, automotivo: 83,
  brinquedos: 73, perfumaria: 77, pet_shop: 67, casa_construcao: 83, eletrodomesticos: 62, fashion_calcados: 73,
  industria_comercio_e_negocios: 93, construcao_ferramentas_construcao: 83, construcao_ferramentas_iluminacao: 62,
  construcao_ferramentas_jardim: 73, construcao_ferramentas_ferramentas: 67, sinalizacao_e_seguranca: 57,
  cama_mesa_banho: 64, moveis_decoracao: 57, utilidades_domesticas: 57, papelaria: 57, fashion_bolsas_e_acessorios: 46,
  market_place: 62, livros_tecnicos: 62, livros_interesse_geral: 46, livros_importados: 46, audio: 73, cine_foto: 57,
  tablets_impressao_imagem: 62, fashion_roupa_masculina: 62, fashion_roupa_feminina: 46, fashion_esporte: 46,
  fashion_underwear_e_moda_praia: 46, fashion_roupa_infanto_juvenil: 46, artes: 67, artes_e_artesanato: 52,
  la_cuisine: 93, casa_conforto: 73, casa_conforto_2: 26, dvds_blu_ray: 52, musica: 46, cds_dvds_musicais: 46,
  alimentos: 41, bebidas: 41, alimentos_bebidas: 41, artigos_de_natal: 41, artigos_de_festas: 41, eletronicos: 36,
  telefonia: 36, fraldas_higiene: 31, flores: 26, seguros_e_servicos: 155, "": 62,
};
export const DEFAULT_PRICE_MEDIAN = 62;
/** Log-sd of list prices within a category, and how strongly log price follows log weight (estimates). */
export const PRICE_SPREAD = { logSd: 0.78, weightElasticity: 0.25 } as const;

/**
 * Quantiles (0%, 5%, ..., 100%) of product attributes in olist_products_dataset (measured, nulls left out).
 */
export const PRODUCT_QUANTILES = {
  nameLength: [5, 29, 33, 37, 40, 42, 44, 46, 48, 50, 51, 53, 54, 55, 56, 57, 58, 59, 59, 60, 76],
  descriptionLength: [4, 150, 207, 249, 294, 339, 385, 432, 485, 539, 595, 652, 712, 786, 870, 972, 1122, 1309, 1578, 2063, 3992],
  weightG: [0, 105, 175, 200, 250, 300, 351, 433, 500, 600, 700, 833, 1000, 1200, 1500, 1900, 2500, 3800, 6300, 10850, 40425],
  lengthCm: [7, 16, 16, 16, 17, 18, 20, 20, 21, 23, 25, 27, 30, 31, 35, 38, 41, 46, 53, 65, 105],
  heightCm: [2, 3, 4, 5, 7, 8, 10, 10, 11, 12, 13, 15, 16, 17, 20, 21, 25, 29, 33, 44, 105],
  widthCm: [6, 11, 11, 12, 14, 15, 15, 16, 17, 18, 20, 20, 22, 25, 27, 30, 32, 35, 40, 47, 118],
} as const;
/** Correlation of log weight with log volume (measured: 0.76); used for the dimensions' copula. */
export const WEIGHT_VOLUME_CORRELATION = 0.76;
/** Products by photo count (measured; 610 null): 1 photo 16,489 ... 20 photos 1. */
export const PHOTO_COUNTS: readonly (readonly [photos: number, products: number])[] = [
  [1, 16489], [2, 6263], [3, 3860], [4, 2428], [5, 1484], [6, 968], [7, 343], [8, 192], [9, 105], [10, 95], [11, 46],
  [12, 35], [13, 9], [14, 5], [15, 8], [17, 7], [18, 2], [19, 1], [20, 1],
];
/** Null patterns (measured): 2 of 32,951 products have no weight/dimensions; 4 weigh 0 g. */
export const PRODUCT_NULLS = { noDimensions: 2 / 32_951, zeroWeight: 4 / 32_951 } as const;

/* ------------------------------------------------------------------ sellers (measured) */

/** Sellers by state (measured; sum 3,095). */
export const SELLER_STATE_COUNTS: Readonly<Record<string, number>> = {
  SP: 1849, PR: 349, MG: 244, SC: 190, RJ: 171, RS: 129, GO: 40, DF: 30, ES: 23, BA: 19, CE: 13, PE: 9, PB: 6, RN: 5,
  MS: 5, MT: 4, RO: 2, SE: 2, AC: 1, PI: 1, MA: 1, AM: 1, PA: 1,
};

/**
 * Sellers by city (measured) for the cities of geography.ts (2,405 of the 3,095 sellers). The other 690
 * sellers (SELLER_OTHER_CITY_COUNTS, by state) are in towns not listed there; the generator spreads them
 * evenly over the state's listed cities.
 */
export const SELLER_CITY_COUNTS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  SP: {
    "sao paulo": 694, "ribeirao preto": 52, guarulhos: 50, ibitinga: 49, "santo andre": 45, campinas: 41,
    "sao jose do rio preto": 33, "sao bernardo do campo": 32, osasco: 32, sorocaba: 32, franca: 20,
    "sao caetano do sul": 20, "sao jose dos campos": 18, limeira: 17, santos: 16, "mogi das cruzes": 15, marilia: 15,
    bauru: 14, jundiai: 14, "sao carlos": 13, barueri: 13, maua: 13, piracicaba: 12, "rio claro": 12,
    "presidente prudente": 12, araraquara: 11, atibaia: 11, catanduva: 10, cotia: 10, birigui: 10, carapicuiba: 10,
    americana: 10, "taboao da serra": 10, "praia grande": 10, salto: 9, diadema: 9, itaquaquecetuba: 9,
    "porto ferreira": 9, pedreira: 9, "mogi guacu": 8, assis: 8, indaiatuba: 8, valinhos: 7, jacarei: 7, guaruja: 6,
    taubate: 6, "braganca paulista": 5, sumare: 5, itu: 4, "itapecerica da serra": 4, aracatuba: 4, botucatu: 4, jau: 4,
    "ferraz de vasconcelos": 3, suzano: 3, hortolandia: 2, "franco da rocha": 2, registro: 2, "embu das artes": 2,
    itapetininga: 2, ubatuba: 1, "sao vicente": 1, ourinhos: 1, guaratingueta: 1,
  },
  RJ: {
    "rio de janeiro": 93, niteroi: 8, "sao goncalo": 7, petropolis: 6, "nova iguacu": 5, "nova friburgo": 5,
    "barra mansa": 4, macae: 3, "sao joao de meriti": 3, "duque de caxias": 3, "belford roxo": 2, teresopolis: 2,
    itaborai: 1, resende: 1, "volta redonda": 1, "angra dos reis": 1, "campos dos goytacazes": 1, marica: 1,
  },
  PR: {
    curitiba: 124, maringa: 40, londrina: 25, cascavel: 14, arapongas: 10, "sao jose dos pinhais": 9, apucarana: 8,
    colombo: 8, toledo: 8, pinhais: 7, "ponta grossa": 6, "foz do iguacu": 5, umuarama: 4, "campo largo": 3,
    guarapuava: 1,
  },
  MG: {
    "belo horizonte": 66, contagem: 12, uberlandia: 12, "juiz de fora": 9, divinopolis: 8, "pocos de caldas": 5,
    betim: 5, "sete lagoas": 4, varginha: 4, "montes claros": 3, uberaba: 3, "conselheiro lafaiete": 3, ipatinga: 2,
    "patos de minas": 2, "ribeirao das neves": 2, barbacena: 1, "governador valadares": 1, "pouso alegre": 1,
  },
  SC: {
    joinville: 22, blumenau: 20, florianopolis: 17, brusque: 10, "jaragua do sul": 9, itajai: 8, palhoca: 7,
    tubarao: 5, "sao jose": 5, criciuma: 4, "balneario camboriu": 3, lages: 2, chapeco: 2,
  },
  RS: {
    "porto alegre": 27, "caxias do sul": 16, canoas: 9, "novo hamburgo": 6, lajeado: 5, "bento goncalves": 3,
    "santa maria": 3, cachoeirinha: 3, pelotas: 3, viamao: 2, "sao leopoldo": 2, erechim: 1, "rio grande": 1,
    "santa cruz do sul": 1, alvorada: 1,
  },
  GO: { goiania: 23, anapolis: 3, formosa: 2, luziania: 1, "rio verde": 1, "aparecida de goiania": 1 },
  DF: { brasilia: 28, gama: 1 },
  ES: { "cachoeiro de itapemirim": 4, "vila velha": 4, vitoria: 4, serra: 3, cariacica: 2, colatina: 1 },
  BA: { salvador: 7, "lauro de freitas": 2, "porto seguro": 1, ilheus: 1, "feira de santana": 1 },
  CE: { fortaleza: 7, caucaia: 1 },
  PE: { recife: 5, caruaru: 2, "vitoria de santo antao": 1 },
  PB: { "joao pessoa": 2, "campina grande": 1 },
  RN: { natal: 2, parnamirim: 1 },
  MS: { "campo grande": 4 },
  MT: { cuiaba: 2, sinop: 1 },
  RO: { "porto velho": 1 },
  SE: { aracaju: 1 },
  AC: { "rio branco": 1 },
  PI: { teresina: 1 },
  MA: { "sao luis": 1 },
  AM: { manaus: 1 },
};
export const SELLER_OTHER_CITY_COUNTS: Readonly<Record<string, number>> = {
  SP: 328, MG: 101, PR: 77, SC: 76, RS: 46, RJ: 24, GO: 9, BA: 7, ES: 5, CE: 5, PB: 3, RN: 2, PE: 1, MT: 1, DF: 1,
  MS: 1, SE: 1, RO: 1, PA: 1,
};
/**
 * Seller size (products per seller) is long-tailed: log-normal weights with this log-sd (estimate; real
 * sellers range from 1 to ~2,000 items). Each seller has one main category; this share of sellers also
 * sells in a second one (estimate).
 */
export const SELLER_SIZE_LOG_SD = 1.3;
export const SELLER_SECOND_CATEGORY_SHARE = 0.3;

/* ------------------------------------------------------------------ payments (measured) */

/**
 * How orders are paid (measured, orders of olist_order_payments_dataset grouped by the payment types
 * they use; 99,440 orders): one credit card 73,972; boleto 19,784; credit card + voucher(s) 2,245;
 * voucher(s) only 1,621; debit card 1,526; two credit cards 287; not_defined 3 (value 0.00, canceled
 * orders). Two rare mixes (credit + debit, two debit cards) are left out.
 */
export const PAYMENT_PLANS: readonly (readonly [plan: string, orders: number])[] = [
  ["credit_card", 73_972],
  ["boleto", 19_784],
  ["credit_card+voucher", 2_245],
  ["voucher", 1_621],
  ["debit_card", 1_526],
  ["credit_card+credit_card", 287],
];
/** not_defined payments: 3 of 625 canceled orders (measured 3 rows, all 0.00; known canceled). */
export const NOT_DEFINED_SHARE_OF_CANCELED = 3 / 625;

/** Voucher rows per order among orders that use vouchers (measured: 1 voucher 3,066 orders, 2: 436, ... 29: 1). */
export const VOUCHERS_PER_ORDER: readonly (readonly [vouchers: number, orders: number])[] = [
  [1, 3066], [2, 436], [3, 148], [4, 79], [5, 40], [6, 30], [7, 17], [8, 14], [9, 4], [10, 8], [11, 8], [12, 4], [13, 3],
  [14, 2], [15, 1], [18, 2], [21, 2], [25, 1], [29, 1],
];
/** Among voucher-only orders, the share paid with several vouchers (measured: 427 of 1,621). */
export const VOUCHER_ONLY_MULTI_SHARE = 427 / 1621;
/** Voucher share of the order total when a credit card pays the rest: deciles 0..100% (measured). */
export const VOUCHER_SHARE_DECILES = [0.0, 0.213, 0.366, 0.5, 0.615, 0.71, 0.79, 0.858, 0.916, 0.96, 1.0];
/**
 * Many vouchers have round values (measured: 50.00 273x, 20.00 272x, 100.00 239x, 25.00 91x, 30.00 86x of
 * 5,775 voucher rows, ~16%).
 */
export const ROUND_VOUCHER_VALUES: readonly (readonly [value: number, rows: number])[] = [
  [50, 273], [20, 272], [100, 239], [25, 91], [30, 86], [250, 26], [150, 20], [200, 18],
];
export const ROUND_VOUCHER_SHARE = 1025 / 5775;

/** Credit-card payments by number of instalments 1..24 (measured; 2 rows have 0, left out). */
export const CREDIT_INSTALLMENTS: readonly (readonly [instalments: number, payments: number])[] = [
  [1, 25455], [2, 12413], [3, 10461], [4, 7098], [5, 5239], [6, 3920], [7, 1626], [8, 4268], [9, 644], [10, 5328],
  [11, 23], [12, 133], [13, 16], [14, 15], [15, 74], [16, 5], [17, 8], [18, 27], [20, 17], [21, 3], [22, 1], [23, 1],
  [24, 18],
];
/**
 * Instalments grow with the amount (measured: median credit payment 68 BRL with 1 instalment, ~110 with
 * 2-3, ~213 with 8, ~240 with 10). The generator ties the instalment quantile to the amount's quantile with
 * this Gaussian-copula correlation (estimate).
 */
export const INSTALLMENT_VALUE_CORRELATION = 0.55;
/**
 * Per payment row: median 100.00, mean 154.10, log-sd 0.94; per order total: median 105.29, mean 160.99,
 * log-sd 0.81 (measured).
 */
export const PAYMENT_VALUE_FIGURES = {
  rowMedian: 100,
  rowMean: 154.1,
  rowLogSd: 0.94,
  orderMedian: 105.29,
  orderMean: 160.99,
  orderLogSd: 0.81,
} as const;

/* ------------------------------------------------------------------ freight (known / estimate) */

/**
 * Freight per item (known: mean ~20 BRL, median ~16; 0.3% of items ship free). Model (estimate, tuned to
 * those figures): base + perKm x distance + perKg x billable kg (max of weight and volume/6000), times a
 * log-normal factor.
 */
export const FREIGHT = { base: 11.5, perKm: 0.004, perKg: 0.55, perKgPerKm: 0.00045, logSd: 0.22, freeShare: 0.0034 } as const;

/* ------------------------------------------------------------------ reviews (known) */

/** Review score shares (known): 5: 57.8%, 4: 19.3%, 3: 8.2%, 2: 3.2%, 1: 11.5% (index 0 = score 1). */
export const REVIEW_SCORE_SHARES = [0.115, 0.032, 0.082, 0.193, 0.578] as const;
/**
 * Score shares for late delivered orders and for orders never delivered (estimates of the known effect:
 * late deliveries average ~2.6 stars, undelivered orders are mostly 1 star). The on-time distribution is
 * solved from the overall shares (see reviews.ts).
 */
export const LATE_SCORE_SHARES = [0.45, 0.08, 0.12, 0.13, 0.22] as const;
export const UNDELIVERED_SCORE_SHARES = [0.6, 0.08, 0.1, 0.07, 0.15] as const;
/**
 * Review rows per order (known: 99,224 rows for 99,441 orders; 98,673 orders have a review, ~551 of them
 * two; 98,410 distinct review ids, i.e. ~0.8% of rows reuse a review id of another order).
 */
export const REVIEWS_PER_ORDER = { none: 1 - 98_673 / 99_441, two: 551 / 98_673, sharedId: (99_224 - 98_410) / 99_224 } as const;
/**
 * Comments (known: 41.3% of reviews have a message, 11.7% a title; low scores comment more often). Message
 * probability by score 1..5 (estimate with that overall mean).
 */
export const MESSAGE_PROBABILITY_BY_SCORE = [0.76, 0.7, 0.5, 0.31, 0.34] as const;
export const TITLE_PROBABILITY = 0.117;
/** Share of messages with a line break inside (estimate; the real file has both CRLF and LF inside quotes). */
export const MESSAGE_NEWLINE_SHARE = 0.05;

/* ------------------------------------------------------------------ geolocation (known) */

/**
 * Geolocation rows (known: 1,000,163 rows for 19,015 prefixes, ~26% exact duplicate rows). The sample
 * writes "a handful" per used prefix: 1 + log-normal(median 3, log-sd 0.8) rows, capped at 20, each an
 * exact duplicate of an earlier row of the prefix with this probability.
 */
export const GEO = { rowsMedian: 3, rowsLogSd: 0.8, maxRows: 20, duplicateShare: 0.26, pointJitterDeg: 0.006 } as const;
