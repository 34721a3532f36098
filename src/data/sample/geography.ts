/**
 * Brazilian geography for the sample: the 27 states (UF) with their CEP (zip) prefix ranges, and a set of
 * cities per state with the 5-digit zip-prefix ranges they use, an approximate centre and a size weight.
 *
 * This is public-domain geography typed from general knowledge (Correios CEP ranges by state, city
 * coordinates rounded to 0.01 degree), not data copied from Olist. City zip ranges are approximate but
 * always lie inside their state's range, and no two cities share a prefix, so a prefix names one city.
 */

export type Region = "N" | "NE" | "CO" | "SE" | "S";

export interface City {
  readonly name: string;
  readonly state: string;
  /** Inclusive 5-digit zip-prefix ranges, as numbers (e.g. [1000, 5999] for 01000-05999). */
  readonly zipRanges: readonly (readonly [number, number])[];
  readonly lat: number;
  readonly lng: number;
  /**
   * Relative size. For cities marked `known` it is the approximate number of customers in the real Olist
   * customers file; for the other cities it is a relative population weight that the customer model
   * rescales so the state's cities together hold the state's customers.
   */
  readonly weight: number;
  readonly known: boolean;
}

export interface StateInfo {
  readonly code: string;
  readonly region: Region;
  /** Inclusive zip-prefix ranges of the state (Correios). */
  readonly zipRanges: readonly (readonly [number, number])[];
}

export const STATES: readonly StateInfo[] = [
  { code: "SP", region: "SE", zipRanges: [[1000, 19999]] },
  { code: "RJ", region: "SE", zipRanges: [[20000, 28999]] },
  { code: "ES", region: "SE", zipRanges: [[29000, 29999]] },
  { code: "MG", region: "SE", zipRanges: [[30000, 39999]] },
  { code: "BA", region: "NE", zipRanges: [[40000, 48999]] },
  { code: "SE", region: "NE", zipRanges: [[49000, 49999]] },
  { code: "PE", region: "NE", zipRanges: [[50000, 56999]] },
  { code: "AL", region: "NE", zipRanges: [[57000, 57999]] },
  { code: "PB", region: "NE", zipRanges: [[58000, 58999]] },
  { code: "RN", region: "NE", zipRanges: [[59000, 59999]] },
  { code: "CE", region: "NE", zipRanges: [[60000, 63999]] },
  { code: "PI", region: "NE", zipRanges: [[64000, 64999]] },
  { code: "MA", region: "NE", zipRanges: [[65000, 65999]] },
  { code: "PA", region: "N", zipRanges: [[66000, 68899]] },
  { code: "AP", region: "N", zipRanges: [[68900, 68999]] },
  { code: "AM", region: "N", zipRanges: [[69000, 69299], [69400, 69899]] },
  { code: "RR", region: "N", zipRanges: [[69300, 69399]] },
  { code: "AC", region: "N", zipRanges: [[69900, 69999]] },
  { code: "DF", region: "CO", zipRanges: [[70000, 72799], [73000, 73699]] },
  { code: "GO", region: "CO", zipRanges: [[72800, 72999], [73700, 76799]] },
  { code: "RO", region: "N", zipRanges: [[76800, 76999]] },
  { code: "TO", region: "N", zipRanges: [[77000, 77999]] },
  { code: "MT", region: "CO", zipRanges: [[78000, 78899]] },
  { code: "MS", region: "CO", zipRanges: [[79000, 79999]] },
  { code: "PR", region: "S", zipRanges: [[80000, 87999]] },
  { code: "SC", region: "S", zipRanges: [[88000, 89999]] },
  { code: "RS", region: "S", zipRanges: [[90000, 99999]] },
];

type Row = readonly [name: string, ranges: readonly (readonly [number, number])[], lat: number, lng: number, weight: number, known?: 1];

/** Cities by state: [name, zip ranges, lat, lng, weight, known?]. */
const CITY_ROWS: Readonly<Record<string, readonly Row[]>> = {
  SP: [
    ["sao paulo", [[1000, 5999], [8000, 8499]], -23.55, -46.63, 15540, 1],
    ["campinas", [[13000, 13139]], -22.91, -47.06, 1444, 1],
    ["guarulhos", [[7000, 7399]], -23.46, -46.53, 1189, 1],
    ["sao bernardo do campo", [[9600, 9899]], -23.69, -46.56, 938, 1],
    ["santo andre", [[9000, 9299]], -23.66, -46.53, 797, 1],
    ["osasco", [[6000, 6299]], -23.53, -46.79, 746, 1],
    ["santos", [[11000, 11099]], -23.96, -46.33, 713, 1],
    ["sao jose dos campos", [[12200, 12248]], -23.18, -45.88, 691, 1],
    ["sorocaba", [[18000, 18109]], -23.5, -47.46, 633, 1],
    ["jundiai", [[13200, 13219]], -23.19, -46.88, 565, 1],
    ["ribeirao preto", [[14000, 14114]], -21.18, -47.81, 510, 1],
    ["barueri", [[6400, 6499]], -23.51, -46.88, 270],
    ["mogi das cruzes", [[8700, 8899]], -23.52, -46.19, 450],
    ["sao jose do rio preto", [[15000, 15099]], -20.82, -49.38, 460],
    ["piracicaba", [[13400, 13429]], -22.73, -47.65, 400],
    ["carapicuiba", [[6300, 6399]], -23.52, -46.84, 400],
    ["maua", [[9300, 9399]], -23.67, -46.46, 470],
    ["diadema", [[9900, 9999]], -23.69, -46.62, 420],
    ["bauru", [[17000, 17109]], -22.31, -49.06, 380],
    ["taboao da serra", [[6750, 6799]], -23.62, -46.79, 290],
    ["sao caetano do sul", [[9500, 9599]], -23.62, -46.55, 160],
    ["praia grande", [[11700, 11729]], -24.01, -46.41, 330],
    ["indaiatuba", [[13330, 13349]], -23.09, -47.22, 250],
    ["cotia", [[6700, 6729]], -23.6, -46.92, 250],
    ["embu das artes", [[6800, 6849]], -23.65, -46.85, 270],
    ["itapecerica da serra", [[6850, 6889]], -23.72, -46.85, 170],
    ["franco da rocha", [[7800, 7899]], -23.32, -46.73, 150],
    ["itaquaquecetuba", [[8570, 8599]], -23.49, -46.35, 370],
    ["ferraz de vasconcelos", [[8500, 8549]], -23.54, -46.37, 190],
    ["suzano", [[8600, 8699]], -23.54, -46.31, 300],
    ["americana", [[13465, 13479]], -22.74, -47.33, 240],
    ["sao vicente", [[11300, 11399]], -23.96, -46.39, 360],
    ["guaruja", [[11400, 11499]], -23.99, -46.26, 320],
    ["caraguatatuba", [[11660, 11679]], -23.62, -45.41, 120],
    ["ubatuba", [[11680, 11699]], -23.43, -45.07, 90],
    ["registro", [[11900, 11909]], -24.49, -47.84, 60],
    ["taubate", [[12000, 12129]], -23.03, -45.56, 310],
    ["jacarei", [[12300, 12349]], -23.31, -45.97, 230],
    ["pindamonhangaba", [[12400, 12449]], -22.92, -45.46, 160],
    ["guaratingueta", [[12500, 12524]], -22.82, -45.19, 120],
    ["braganca paulista", [[12900, 12929]], -22.95, -46.54, 170],
    ["atibaia", [[12940, 12954]], -23.12, -46.55, 140],
    ["sumare", [[13170, 13182]], -22.82, -47.27, 280],
    ["hortolandia", [[13183, 13189]], -22.86, -47.22, 230],
    ["valinhos", [[13270, 13279]], -22.97, -47.0, 120],
    ["itu", [[13300, 13314]], -23.26, -47.3, 170],
    ["salto", [[13320, 13329]], -23.2, -47.29, 110],
    ["limeira", [[13480, 13489]], -22.56, -47.4, 300],
    ["rio claro", [[13500, 13509]], -22.41, -47.56, 200],
    ["sao carlos", [[13560, 13579]], -22.01, -47.89, 250],
    ["porto ferreira", [[13660, 13669]], -21.85, -47.48, 55],
    ["mogi guacu", [[13840, 13849]], -22.37, -46.94, 150],
    ["pedreira", [[13920, 13929]], -22.74, -46.9, 45],
    ["franca", [[14400, 14414]], -20.54, -47.4, 350],
    ["araraquara", [[14800, 14811]], -21.79, -48.18, 230],
    ["ibitinga", [[14940, 14944]], -21.76, -48.83, 60],
    ["catanduva", [[15800, 15809]], -21.14, -48.97, 120],
    ["aracatuba", [[16000, 16099]], -21.21, -50.43, 195],
    ["birigui", [[16200, 16209]], -21.29, -50.34, 120],
    ["jau", [[17200, 17229]], -22.3, -48.56, 150],
    ["marilia", [[17500, 17529]], -22.21, -49.95, 240],
    ["itapetininga", [[18200, 18214]], -23.59, -48.05, 160],
    ["botucatu", [[18600, 18619]], -22.89, -48.44, 145],
    ["presidente prudente", [[19000, 19099]], -22.12, -51.39, 230],
    ["assis", [[19800, 19819]], -22.66, -50.41, 100],
    ["ourinhos", [[19900, 19919]], -22.98, -49.87, 110],
  ],
  RJ: [
    ["rio de janeiro", [[20000, 23799]], -22.91, -43.2, 6882, 1],
    ["niteroi", [[24000, 24399]], -22.88, -43.1, 849, 1],
    ["nova iguacu", [[26000, 26099]], -22.76, -43.45, 435, 1],
    ["sao goncalo", [[24400, 24799]], -22.83, -43.05, 1080],
    ["itaborai", [[24800, 24859]], -22.74, -42.86, 230],
    ["marica", [[24900, 24999]], -22.92, -42.82, 160],
    ["duque de caxias", [[25000, 25299]], -22.79, -43.31, 920],
    ["sao joao de meriti", [[25500, 25599]], -22.8, -43.37, 470],
    ["petropolis", [[25600, 25779]], -22.51, -43.18, 300],
    ["teresopolis", [[25950, 25999]], -22.41, -42.97, 180],
    ["belford roxo", [[26100, 26199]], -22.76, -43.4, 500],
    ["angra dos reis", [[23900, 23959]], -23.01, -44.32, 200],
    ["volta redonda", [[27200, 27299]], -22.52, -44.1, 270],
    ["barra mansa", [[27300, 27399]], -22.54, -44.17, 180],
    ["resende", [[27500, 27599]], -22.47, -44.45, 130],
    ["macae", [[27900, 27999]], -22.37, -41.79, 250],
    ["campos dos goytacazes", [[28000, 28099]], -21.75, -41.32, 500],
    ["nova friburgo", [[28600, 28699]], -22.28, -42.53, 190],
    ["cabo frio", [[28900, 28949]], -22.88, -42.02, 220],
  ],
  ES: [
    ["vila velha", [[29100, 29129]], -20.33, -40.29, 500],
    ["vitoria", [[29000, 29099]], -20.32, -40.34, 360],
    ["serra", [[29160, 29184]], -20.13, -40.31, 520],
    ["cariacica", [[29140, 29159]], -20.26, -40.42, 380],
    ["aracruz", [[29190, 29199]], -19.82, -40.27, 100],
    ["guarapari", [[29200, 29229]], -20.67, -40.5, 125],
    ["cachoeiro de itapemirim", [[29300, 29319]], -20.85, -41.11, 210],
    ["colatina", [[29700, 29709]], -19.54, -40.63, 120],
    ["linhares", [[29900, 29909]], -19.39, -40.07, 170],
    ["sao mateus", [[29930, 29949]], -18.72, -39.86, 130],
  ],
  MG: [
    ["belo horizonte", [[30000, 31999]], -19.92, -43.94, 2773, 1],
    ["contagem", [[32000, 32399]], -19.93, -44.05, 660],
    ["betim", [[32500, 32699]], -19.97, -44.2, 440],
    ["santa luzia", [[33000, 33199]], -19.77, -43.85, 220],
    ["ribeirao das neves", [[33800, 33999]], -19.77, -44.09, 330],
    ["governador valadares", [[35000, 35099]], -18.85, -41.95, 280],
    ["ipatinga", [[35160, 35164]], -19.47, -42.54, 260],
    ["divinopolis", [[35500, 35519]], -20.14, -44.89, 240],
    ["sete lagoas", [[35700, 35704]], -19.47, -44.25, 240],
    ["juiz de fora", [[36000, 36099]], -21.76, -43.35, 570],
    ["barbacena", [[36200, 36209]], -21.22, -43.77, 140],
    ["conselheiro lafaiete", [[36400, 36409]], -20.66, -43.79, 130],
    ["varginha", [[37000, 37099]], -21.55, -45.43, 135],
    ["lavras", [[37200, 37209]], -21.25, -45.0, 105],
    ["pouso alegre", [[37550, 37559]], -22.23, -45.94, 150],
    ["pocos de caldas", [[37700, 37719]], -21.79, -46.56, 170],
    ["uberaba", [[38000, 38099]], -19.75, -47.93, 330],
    ["uberlandia", [[38400, 38419]], -18.92, -48.28, 690],
    ["patos de minas", [[38700, 38709]], -18.58, -46.52, 150],
    ["montes claros", [[39400, 39409]], -16.73, -43.86, 410],
    ["teofilo otoni", [[39800, 39809]], -17.86, -41.51, 140],
  ],
  BA: [
    ["salvador", [[40000, 42599]], -12.97, -38.5, 1245, 1],
    ["lauro de freitas", [[42700, 42799]], -12.89, -38.33, 200],
    ["camacari", [[42800, 42849]], -12.7, -38.32, 300],
    ["feira de santana", [[44000, 44099]], -12.27, -38.97, 620],
    ["vitoria da conquista", [[45000, 45099]], -14.86, -40.84, 340],
    ["jequie", [[45200, 45209]], -13.86, -40.08, 160],
    ["itabuna", [[45600, 45609]], -14.79, -39.28, 210],
    ["ilheus", [[45650, 45669]], -14.79, -39.05, 160],
    ["porto seguro", [[45810, 45819]], -16.45, -39.06, 150],
    ["teixeira de freitas", [[45985, 45999]], -17.54, -39.74, 160],
    ["barreiras", [[47800, 47809]], -12.15, -44.99, 155],
    ["alagoinhas", [[48000, 48099]], -12.14, -38.42, 150],
    ["juazeiro", [[48900, 48909]], -9.41, -40.5, 215],
  ],
  SE: [
    ["aracaju", [[49000, 49099]], -10.91, -37.07, 650],
    ["nossa senhora do socorro", [[49160, 49169]], -10.86, -37.13, 180],
    ["lagarto", [[49400, 49409]], -10.92, -37.65, 100],
    ["itabaiana", [[49500, 49509]], -10.69, -37.43, 95],
  ],
  PE: [
    ["recife", [[50000, 52999]], -8.05, -34.88, 613, 1],
    ["olinda", [[53000, 53199]], -8.01, -34.86, 390],
    ["paulista", [[53400, 53499]], -7.94, -34.87, 330],
    ["jaboatao dos guararapes", [[54000, 54499]], -8.11, -35.01, 700],
    ["cabo de santo agostinho", [[54500, 54599]], -8.29, -35.03, 200],
    ["camaragibe", [[54750, 54799]], -8.02, -34.98, 160],
    ["caruaru", [[55000, 55099]], -8.28, -35.97, 360],
    ["garanhuns", [[55290, 55299]], -8.89, -36.49, 140],
    ["vitoria de santo antao", [[55600, 55619]], -8.12, -35.29, 140],
    ["petrolina", [[56300, 56339]], -9.39, -40.5, 350],
  ],
  AL: [
    ["maceio", [[57000, 57099]], -9.67, -35.74, 1000],
    ["arapiraca", [[57300, 57319]], -9.75, -36.66, 230],
    ["palmeira dos indios", [[57600, 57609]], -9.41, -36.63, 70],
  ],
  PB: [
    ["joao pessoa", [[58000, 58099]], -7.12, -34.86, 800],
    ["santa rita", [[58300, 58309]], -7.11, -34.98, 140],
    ["campina grande", [[58400, 58449]], -7.23, -35.88, 410],
    ["patos", [[58700, 58709]], -7.02, -37.28, 110],
  ],
  RN: [
    ["natal", [[59000, 59139]], -5.79, -35.21, 880],
    ["parnamirim", [[59140, 59159]], -5.92, -35.26, 260],
    ["caico", [[59300, 59309]], -6.46, -37.1, 70],
    ["mossoro", [[59600, 59649]], -5.19, -37.34, 300],
  ],
  CE: [
    ["fortaleza", [[60000, 61599]], -3.73, -38.52, 654, 1],
    ["caucaia", [[61600, 61699]], -3.74, -38.65, 360],
    ["maracanau", [[61900, 61939]], -3.88, -38.63, 230],
    ["sobral", [[62000, 62099]], -3.69, -40.35, 210],
    ["itapipoca", [[62500, 62509]], -3.49, -39.58, 130],
    ["juazeiro do norte", [[63000, 63059]], -7.21, -39.31, 275],
    ["crato", [[63100, 63129]], -7.23, -39.41, 130],
    ["iguatu", [[63500, 63509]], -6.36, -39.3, 100],
  ],
  PI: [
    ["teresina", [[64000, 64099]], -5.09, -42.8, 860],
    ["parnaiba", [[64200, 64219]], -2.9, -41.78, 150],
    ["picos", [[64600, 64609]], -7.08, -41.47, 78],
  ],
  MA: [
    ["sao luis", [[65000, 65109]], -2.53, -44.3, 1100],
    ["sao jose de ribamar", [[65110, 65119]], -2.56, -44.05, 180],
    ["caxias", [[65600, 65609]], -4.86, -43.36, 165],
    ["timon", [[65630, 65639]], -5.09, -42.84, 170],
    ["imperatriz", [[65900, 65919]], -5.53, -47.48, 260],
  ],
  PA: [
    ["belem", [[66000, 66999]], -1.46, -48.49, 445, 1],
    ["ananindeua", [[67000, 67199]], -1.37, -48.37, 530],
    ["santarem", [[68000, 68099]], -2.44, -54.71, 300],
    ["abaetetuba", [[68440, 68449]], -1.72, -48.88, 150],
    ["maraba", [[68500, 68509]], -5.37, -49.12, 280],
    ["parauapebas", [[68515, 68516]], -6.07, -49.9, 200],
    ["castanhal", [[68740, 68749]], -1.3, -47.93, 200],
  ],
  AP: [
    ["macapa", [[68900, 68929]], 0.03, -51.07, 500],
    ["santana", [[68930, 68939]], -0.06, -51.17, 120],
  ],
  AM: [
    ["manaus", [[69000, 69099]], -3.12, -60.02, 2200],
    ["parintins", [[69150, 69159]], -2.63, -56.74, 115],
  ],
  RR: [["boa vista", [[69300, 69339]], 2.82, -60.67, 400]],
  AC: [
    ["rio branco", [[69900, 69924]], -9.97, -67.81, 410],
    ["cruzeiro do sul", [[69980, 69984]], -7.63, -72.67, 88],
  ],
  DF: [
    ["brasilia", [[70000, 70999], [71500, 71999]], -15.79, -47.88, 2131, 1],
    ["guara", [[71000, 71099]], -15.82, -47.98, 120],
    ["taguatinga", [[72000, 72199]], -15.83, -48.06, 220],
    ["ceilandia", [[72200, 72299]], -15.82, -48.11, 430],
    ["gama", [[72400, 72499]], -16.02, -48.06, 140],
    ["sobradinho", [[73000, 73099]], -15.65, -47.79, 85],
  ],
  GO: [
    ["goiania", [[74000, 74899]], -16.68, -49.25, 692, 1],
    ["aparecida de goiania", [[74900, 74999]], -16.82, -49.24, 540],
    ["anapolis", [[75000, 75149]], -16.33, -48.95, 390],
    ["luziania", [[72800, 72869]], -16.25, -47.95, 210],
    ["valparaiso de goias", [[72870, 72879]], -16.07, -47.98, 170],
    ["aguas lindas de goias", [[72910, 72919]], -15.76, -48.28, 210],
    ["formosa", [[73800, 73814]], -15.54, -47.33, 120],
    ["trindade", [[75380, 75389]], -16.65, -49.49, 130],
    ["itumbiara", [[75500, 75539]], -18.42, -49.22, 105],
    ["catalao", [[75700, 75709]], -18.17, -47.94, 110],
    ["jatai", [[75800, 75809]], -17.88, -51.72, 100],
    ["rio verde", [[75900, 75909]], -17.79, -50.92, 240],
  ],
  RO: [
    ["porto velho", [[76800, 76849]], -8.76, -63.9, 540],
    ["ariquemes", [[76870, 76879]], -9.91, -63.04, 110],
    ["ji-parana", [[76900, 76919]], -10.88, -61.95, 130],
    ["cacoal", [[76960, 76969]], -11.44, -61.45, 85],
    ["vilhena", [[76980, 76989]], -12.74, -60.15, 100],
  ],
  TO: [
    ["palmas", [[77000, 77299]], -10.18, -48.33, 310],
    ["gurupi", [[77400, 77439]], -11.73, -49.07, 87],
    ["araguaina", [[77800, 77829]], -7.19, -48.21, 180],
  ],
  MT: [
    ["cuiaba", [[78000, 78109]], -15.6, -56.1, 620],
    ["varzea grande", [[78110, 78159]], -15.65, -56.13, 290],
    ["tangara da serra", [[78300, 78309]], -14.62, -57.49, 100],
    ["lucas do rio verde", [[78455, 78459]], -13.05, -55.91, 65],
    ["sinop", [[78550, 78559]], -11.86, -55.5, 140],
    ["rondonopolis", [[78700, 78759]], -16.47, -54.64, 230],
    ["sorriso", [[78890, 78899]], -12.55, -55.71, 90],
  ],
  MS: [
    ["campo grande", [[79000, 79129]], -20.47, -54.62, 900],
    ["corumba", [[79300, 79339]], -19.01, -57.65, 110],
    ["tres lagoas", [[79600, 79649]], -20.75, -51.68, 120],
    ["dourados", [[79800, 79849]], -22.22, -54.81, 225],
    ["ponta pora", [[79900, 79909]], -22.54, -55.73, 90],
  ],
  PR: [
    ["curitiba", [[80000, 82999]], -25.43, -49.27, 1521, 1],
    ["sao jose dos pinhais", [[83000, 83099]], -25.53, -49.21, 320],
    ["paranagua", [[83200, 83249]], -25.52, -48.51, 155],
    ["pinhais", [[83320, 83349]], -25.44, -49.19, 130],
    ["colombo", [[83400, 83414]], -25.29, -49.22, 240],
    ["campo largo", [[83600, 83609]], -25.46, -49.53, 130],
    ["ponta grossa", [[84000, 84099]], -25.09, -50.16, 350],
    ["guarapuava", [[85000, 85099]], -25.39, -51.46, 180],
    ["cascavel", [[85800, 85829]], -24.96, -53.46, 320],
    ["foz do iguacu", [[85850, 85869]], -25.55, -54.59, 260],
    ["toledo", [[85900, 85919]], -24.72, -53.74, 140],
    ["londrina", [[86000, 86099]], -23.31, -51.16, 560],
    ["arapongas", [[86700, 86709]], -23.42, -51.42, 120],
    ["apucarana", [[86800, 86819]], -23.55, -51.46, 130],
    ["maringa", [[87000, 87099]], -23.42, -51.94, 420],
    ["umuarama", [[87500, 87509]], -23.77, -53.32, 110],
  ],
  SC: [
    ["florianopolis", [[88000, 88099]], -27.59, -48.55, 570, 1],
    ["sao jose", [[88100, 88119]], -27.6, -48.63, 250],
    ["palhoca", [[88130, 88139]], -27.64, -48.67, 170],
    ["itajai", [[88300, 88319]], -26.91, -48.66, 215],
    ["balneario camboriu", [[88330, 88339]], -26.99, -48.63, 140],
    ["brusque", [[88350, 88359]], -27.1, -48.92, 130],
    ["lages", [[88500, 88529]], -27.82, -50.33, 160],
    ["tubarao", [[88700, 88709]], -28.47, -49.01, 105],
    ["criciuma", [[88800, 88819]], -28.68, -49.37, 215],
    ["blumenau", [[89000, 89099]], -26.92, -49.07, 360],
    ["joinville", [[89200, 89239]], -26.3, -48.85, 590],
    ["jaragua do sul", [[89250, 89269]], -26.49, -49.07, 180],
    ["chapeco", [[89800, 89819]], -27.1, -52.62, 220],
  ],
  RS: [
    ["porto alegre", [[90000, 91999]], -30.03, -51.23, 1379, 1],
    ["canoas", [[92000, 92499]], -29.92, -51.18, 350],
    ["sao leopoldo", [[93000, 93199]], -29.76, -51.15, 230],
    ["novo hamburgo", [[93300, 93599]], -29.68, -51.13, 250],
    ["gravatai", [[94000, 94199]], -29.94, -50.99, 280],
    ["viamao", [[94400, 94499]], -30.08, -51.02, 250],
    ["alvorada", [[94800, 94899]], -29.99, -51.08, 210],
    ["cachoeirinha", [[94900, 94999]], -29.95, -51.09, 130],
    ["caxias do sul", [[95000, 95099]], -29.17, -51.18, 500],
    ["bento goncalves", [[95700, 95709]], -29.17, -51.52, 120],
    ["lajeado", [[95900, 95909]], -29.47, -51.96, 85],
    ["pelotas", [[96000, 96099]], -31.77, -52.34, 340],
    ["rio grande", [[96200, 96219]], -32.03, -52.1, 210],
    ["santa cruz do sul", [[96800, 96849]], -29.72, -52.43, 130],
    ["santa maria", [[97000, 97119]], -29.68, -53.81, 280],
    ["passo fundo", [[99000, 99099]], -28.26, -52.41, 200],
    ["erechim", [[99700, 99709]], -27.63, -52.27, 105],
  ],
};

export const CITIES: readonly City[] = Object.entries(CITY_ROWS).flatMap(([state, rows]) =>
  rows.map(
    ([name, zipRanges, lat, lng, weight, known]): City => ({ name, state, zipRanges, lat, lng, weight, known: known === 1 }),
  ),
);

export function stateInfo(code: string): StateInfo {
  const info = STATES.find((s) => s.code === code);
  if (!info) throw new Error(`unknown state '${code}'`);
  return info;
}

export function citiesOf(state: string): City[] {
  return CITIES.filter((c) => c.state === state);
}

/** Formats a zip prefix number as Olist does: 5 digits, zero-padded ("04195"). */
export function formatZip(prefix: number): string {
  return String(prefix).padStart(5, "0");
}

/** Number of prefixes a city's ranges cover. */
export function zipRangeSize(city: City): number {
  let n = 0;
  for (const [lo, hi] of city.zipRanges) n += hi - lo + 1;
  return n;
}

/** The k-th prefix (0-based) of a city's ranges. */
export function zipAt(city: City, k: number): number {
  let rest = k;
  for (const [lo, hi] of city.zipRanges) {
    const size = hi - lo + 1;
    if (rest < size) return lo + rest;
    rest -= size;
  }
  throw new Error(`zip index ${k} out of range for ${city.name}`);
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in km between two cities' centres. */
export function distanceKm(a: City, b: City): number {
  const toRad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRad;
  const dLng = (b.lng - a.lng) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
