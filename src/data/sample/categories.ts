/**
 * Category vocabulary: the Portuguese category names with their English names, in the order of the real
 * product_category_name_translation.csv (71 pairs), and which categories go together in one basket.
 *
 * Two categories of the products file have no translation in the real file, and keep none here:
 * pc_gamer and portateis_cozinha_e_preparadores_de_alimentos.
 */

export const CATEGORY_TRANSLATIONS: readonly (readonly [pt: string, en: string])[] = [
  ["beleza_saude", "health_beauty"],
  ["informatica_acessorios", "computers_accessories"],
  ["automotivo", "auto"],
  ["cama_mesa_banho", "bed_bath_table"],
  ["moveis_decoracao", "furniture_decor"],
  ["esporte_lazer", "sports_leisure"],
  ["perfumaria", "perfumery"],
  ["utilidades_domesticas", "housewares"],
  ["telefonia", "telephony"],
  ["relogios_presentes", "watches_gifts"],
  ["alimentos_bebidas", "food_drink"],
  ["bebes", "baby"],
  ["papelaria", "stationery"],
  ["tablets_impressao_imagem", "tablets_printing_image"],
  ["brinquedos", "toys"],
  ["telefonia_fixa", "fixed_telephony"],
  ["ferramentas_jardim", "garden_tools"],
  ["fashion_bolsas_e_acessorios", "fashion_bags_accessories"],
  ["eletroportateis", "small_appliances"],
  ["consoles_games", "consoles_games"],
  ["audio", "audio"],
  ["fashion_calcados", "fashion_shoes"],
  ["cool_stuff", "cool_stuff"],
  ["malas_acessorios", "luggage_accessories"],
  ["climatizacao", "air_conditioning"],
  ["construcao_ferramentas_construcao", "construction_tools_construction"],
  ["moveis_cozinha_area_de_servico_jantar_e_jardim", "kitchen_dining_laundry_garden_furniture"],
  ["construcao_ferramentas_jardim", "costruction_tools_garden"],
  ["fashion_roupa_masculina", "fashion_male_clothing"],
  ["pet_shop", "pet_shop"],
  ["moveis_escritorio", "office_furniture"],
  ["market_place", "market_place"],
  ["eletronicos", "electronics"],
  ["eletrodomesticos", "home_appliances"],
  ["artigos_de_festas", "party_supplies"],
  ["casa_conforto", "home_confort"],
  ["construcao_ferramentas_ferramentas", "costruction_tools_tools"],
  ["agro_industria_e_comercio", "agro_industry_and_commerce"],
  ["moveis_colchao_e_estofado", "furniture_mattress_and_upholstery"],
  ["livros_tecnicos", "books_technical"],
  ["casa_construcao", "home_construction"],
  ["instrumentos_musicais", "musical_instruments"],
  ["moveis_sala", "furniture_living_room"],
  ["construcao_ferramentas_iluminacao", "construction_tools_lights"],
  ["industria_comercio_e_negocios", "industry_commerce_and_business"],
  ["alimentos", "food"],
  ["artes", "art"],
  ["moveis_quarto", "furniture_bedroom"],
  ["livros_interesse_geral", "books_general_interest"],
  ["construcao_ferramentas_seguranca", "construction_tools_safety"],
  ["fashion_underwear_e_moda_praia", "fashion_underwear_beach"],
  ["fashion_esporte", "fashion_sport"],
  ["sinalizacao_e_seguranca", "signaling_and_security"],
  ["pcs", "computers"],
  ["artigos_de_natal", "christmas_supplies"],
  ["fashion_roupa_feminina", "fashio_female_clothing"],
  ["eletrodomesticos_2", "home_appliances_2"],
  ["livros_importados", "books_imported"],
  ["bebidas", "drinks"],
  ["cine_foto", "cine_photo"],
  ["la_cuisine", "la_cuisine"],
  ["musica", "music"],
  ["casa_conforto_2", "home_comfort_2"],
  ["portateis_casa_forno_e_cafe", "small_appliances_home_oven_and_coffee"],
  ["cds_dvds_musicais", "cds_dvds_musicals"],
  ["dvds_blu_ray", "dvds_blu_ray"],
  ["flores", "flowers"],
  ["artes_e_artesanato", "arts_and_craftmanship"],
  ["fraldas_higiene", "diapers_and_hygiene"],
  ["fashion_roupa_infanto_juvenil", "fashion_childrens_clothes"],
  ["seguros_e_servicos", "security_and_services"],
];

/**
 * Groups of categories bought together (estimate from the category meanings): two categories are
 * complementary when some group holds both.
 */
const BASKET_GROUPS: readonly (readonly string[])[] = [
  [
    "cama_mesa_banho", "moveis_decoracao", "utilidades_domesticas", "casa_conforto", "casa_conforto_2", "moveis_sala",
    "moveis_quarto", "moveis_colchao_e_estofado", "moveis_cozinha_area_de_servico_jantar_e_jardim", "artigos_de_natal", "flores",
  ],
  [
    "utilidades_domesticas", "la_cuisine", "portateis_casa_forno_e_cafe", "portateis_cozinha_e_preparadores_de_alimentos",
    "eletroportateis", "eletrodomesticos", "eletrodomesticos_2", "climatizacao",
  ],
  [
    "informatica_acessorios", "pcs", "pc_gamer", "eletronicos", "telefonia", "telefonia_fixa", "tablets_impressao_imagem",
    "consoles_games", "audio", "cine_foto", "moveis_escritorio", "papelaria",
  ],
  ["beleza_saude", "perfumaria", "fraldas_higiene"],
  ["bebes", "brinquedos", "fraldas_higiene", "fashion_roupa_infanto_juvenil", "cool_stuff"],
  [
    "fashion_bolsas_e_acessorios", "fashion_calcados", "fashion_roupa_masculina", "fashion_roupa_feminina",
    "fashion_underwear_e_moda_praia", "fashion_esporte", "relogios_presentes", "malas_acessorios",
  ],
  ["esporte_lazer", "fashion_esporte", "malas_acessorios", "cool_stuff"],
  [
    "ferramentas_jardim", "construcao_ferramentas_construcao", "construcao_ferramentas_seguranca",
    "construcao_ferramentas_jardim", "construcao_ferramentas_iluminacao", "construcao_ferramentas_ferramentas",
    "casa_construcao", "sinalizacao_e_seguranca", "automotivo", "agro_industria_e_comercio", "industria_comercio_e_negocios",
  ],
  [
    "livros_interesse_geral", "livros_tecnicos", "livros_importados", "dvds_blu_ray", "cds_dvds_musicais", "musica",
    "instrumentos_musicais", "papelaria", "artes", "artes_e_artesanato", "artigos_de_festas",
  ],
  ["alimentos", "bebidas", "alimentos_bebidas", "la_cuisine"],
  ["pet_shop", "utilidades_domesticas"],
  ["relogios_presentes", "cool_stuff", "perfumaria"],
  ["market_place", "seguros_e_servicos", "cool_stuff"],
];

const COMPLEMENTS: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, Set<string>>();
  for (const group of BASKET_GROUPS) {
    for (const a of group) {
      const set = map.get(a) ?? new Set<string>();
      for (const b of group) if (b !== a) set.add(b);
      map.set(a, set);
    }
  }
  return new Map([...map].map(([k, v]) => [k, [...v].sort()]));
})();

/** Categories that complement `category` (sorted; empty when none). */
export function complementsOf(category: string): readonly string[] {
  return COMPLEMENTS.get(category) ?? [];
}

/** True when two categories are the same or complementary. */
export function areRelatedCategories(a: string, b: string): boolean {
  return a === b || complementsOf(a).includes(b);
}
