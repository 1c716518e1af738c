//! The generator's fixed data: stations (sending posts), countries, tags, names.
//!
//! Stations are listed in order of how busy they were in the real collection (rank 0 sends most);
//! synthetic posts are added after them to reach about 375 tokens, the real set's count.

use super::rng::{hash_str, Alias, Rng};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Real stations, busiest first: `TOKEN|WRITTEN|KIND|ROUTE|TAG`.
///
/// * WRITTEN: the name as written in the telegram (`THE HAGUE`); empty means the token itself.
/// * KIND: S Secretary of State, E embassy, C consulate, M mission, U USUN, B USEU,
///   I interests section, R regional embassy office, A American Institute Taiwan, O US office.
/// * ROUTE: routing indicator suffix after `RUEH` (or a whole indicator of 5+ letters); empty
///   means derived.
/// * TAG: the host country's tag, or an organisation tag for missions.
const STATIONS: &str = "\
STATE||S|C|US
ANKARA||E|AK|TU
BAGHDAD||E|GB|IZ
TOKYO||E|KO|JA
KABUL||E|BUL|AF
BEIJING||E|BJ|CH
TELAVIV|TEL AVIV|E|TV|IS
AMMAN||E|AM|JO
CAIRO||E|EG|EG
PARIS||E|FR|FR
MOSCOW||E|MO|RS
ISLAMABAD||E|IL|PK
ROME||E|RO|IT
USNATO||M|NO|NATO
MADRID||E|MD|SP
BERLIN||E|RL|GM
LONDON||E|LO|UK
BRASILIA||E|BR|BR
MEXICO||E|ME|MX
THEHAGUE|THE HAGUE|E|TC|NL
BUENOSAIRES|BUENOS AIRES|E|BU|AR
BEIRUT||E|LB|LE
RIYADH||E|RH|SA
SEOUL||E|UL|KS
NEWDELHI|NEW DELHI|E|NE|IN
TAIPEI||A|IN|TW
CARACAS||E|CV|VE
BOGOTA||E|BO|CO
USUNNEWYORK|USUN NEW YORK|U|RUCNDT|UNSC
HAVANA||I|UB|CU
ABUJA||E|UJA|NI
NAIROBI||E|NR|KE
PRETORIA||E|SA|SF
KHARTOUM||E|KH|SU
SANAA||E|YN|YM
KUWAIT||E|KU|KU
DOHA||E|DO|QA
ABUDHABI|ABU DHABI|E|AD|AE
MANAMA||E|MK|BA
RIODEJANEIRO|RIO DE JANEIRO|C|RI|BR
DAMASCUS||E|DM|SY
USEUBRUSSELS|USEU BRUSSELS|B|BS|EUN
ATHENS||E|TH|GR
MUSCAT||E|MS|MU
JERUSALEM||C|JM|IS
TUNIS||E|TU|TS
ALGIERS||E|AS|AG
RABAT||E|RB|MO
TRIPOLI||E|TRO|LY
NICOSIA||E|NC|CY
SOFIA||E|SF|BU
BUCHAREST||E|BM|RO
BUDAPEST||E|UP|HU
PRAGUE||E|PG|EZ
WARSAW||E|WR|PL
VIENNA||E|VI|AU
BRUSSELS||E|BS|BE
UNVIEVIENNA|UNVIE VIENNA|M|UNV|IAEA
GENEVA||M|GV|SZ
USOSCE||M|VEN|OSCE
ISTANBUL||C|IT|TU
DUBAI||C|DE|AE
HONGKONG|HONG KONG|C|HK|HK
SHANGHAI||C|GH|CH
KYIV||E|KV|UP
TBILISI||E|SI|GG
BAKU||E|KB|AJ
YEREVAN||E|YE|AM
ASTANA||E|TA|KZ
TASHKENT||E|NT|UZ
BISHKEK||E|EK|KG
DUSHANBE||E|DBU|TI
ASHGABAT||E|AH|TX
OTTAWA||E|OT|CA
CANBERRA||E|BY|AS
BANGKOK||E|BK|TH
JAKARTA||E|JA|ID
MANILA||E|ML|RP
HANOI||E|HI|VM
KUALALUMPUR|KUALA LUMPUR|E|KL|MY
SINGAPORE||E|GP|SN
RANGOON||E|GO|BM
DHAKA||E|KA|BG
COLOMBO||E|LM|CE
KATHMANDU||E|KT|NP
SANTIAGO||E|SG|CI
LIMA||E|PE|PE
QUITO||E|QT|EC
LAPAZ|LA PAZ|E|LP|BL
PANAMA||E|ZP|PM
SANJOSE|SAN JOSE|E|SJ|CS
MANAGUA||E|MU|NU
TEGUCIGALPA||E|TG|HO
SANSALVADOR|SAN SALVADOR|E|SN|ES
GUATEMALA||E|GT|GT
SANTODOMINGO|SANTO DOMINGO|E|DG|DR
PORTAUPRINCE|PORT AU PRINCE|E|PU|HA
ADDISABABA|ADDIS ABABA|E|DS|ET
DARESSALAAM|DAR ES SALAAM|E|DR|TZ
KAMPALA||E|KM|UG
KINSHASA||E|KI|CG
HARARE||E|SB|ZI
ACCRA||E|AR|GH
DAKAR||E|DK|SG
LISBON||E|LI|PO
DUBLIN||E|DL|EI
COPENHAGEN||E|CP|DA
OSLO||E|NY|NO
STOCKHOLM||E|SM|SW
HELSINKI||E|HE|FI
BELGRADE||E|BW|SR
PRISTINA||E|PS|KV
ZAGREB||E|VB|HR
SARAJEVO||E|VJ|BK
SKOPJE||E|SQ|MK
TIRANA||E|TI|AL
CHISINAU||E|CH|MD
MINSK||E|SK|BO
VILNIUS||E|VL|LH
RIGA||E|RA|LG
TALLINN||E|TL|EN
BRATISLAVA||E|SL|LO
LJUBLJANA||E|LJ|SI
KARACHI||C|KP|PK
LAHORE||C|LH|PK
PESHAWAR||C|PW|PK
MUMBAI||C|BI|IN
CHENNAI||C|CG|IN
KOLKATA||C|CI|IN
GUANGZHOU||C|GZ|CH
SHENYANG||C|SY|CH
CHENGDU||C|CN|CH
OSAKAKOBE|OSAKA KOBE|C|OK|JA
NAHA||C|NH|JA
SAPPORO||C|SP|JA
FUKUOKA||C|FK|JA
NAGOYA||C|NAG|JA
JEDDAH||C|JI|SA
DHAHRAN||C|DH|SA
BASRAH||R|BAS|IZ
KIRKUK||R|KRK|IZ
HILLAH||R|HIL|IZ
ADANA||C|DA|TU
FRANKFURT||C|FT|GM
MUNICH||C|MZ|GM
HAMBURG||C|AG|GM
DUSSELDORF||C|DF|GM
LEIPZIG||C|LZ|GM
MILAN||C|MIL|IT
NAPLES||C|NP|IT
FLORENCE||C|FL|IT
MARSEILLE||C|MS|FR
STRASBOURG||C|SR|FR
BARCELONA||C|BC|SP
AMSTERDAM||C|AM|NL
KRAKOW||C|KW|PL
STPETERSBURG|ST PETERSBURG|C|LD|RS
YEKATERINBURG||C|YK|RS
VLADIVOSTOK||C|VK|RS
SAOPAULO|SAO PAULO|C|SO|BR
RECIFE||C|RE|BR
MONTERREY||C|MC|MX
TIJUANA||C|TJ|MX
CIUDADJUAREZ|CIUDAD JUAREZ|C|CD|MX
GUADALAJARA||C|GD|MX
NUEVOLAREDO|NUEVO LAREDO|C|NL|MX
MATAMOROS||C|MM|MX
HERMOSILLO||C|HO|MX
MERIDA||C|MI|MX
TORONTO||C|TO|CA
MONTREAL||C|MT|CA
VANCOUVER||C|VC|CA
CALGARY||C|CL|CA
HALIFAX||C|HA|CA
QUEBEC||C|QU|CA
SYDNEY||C|DN|AS
MELBOURNE||C|MB|AS
PERTH||C|PT|AS
LAGOS||C|OS|NI
JOHANNESBURG||C|JO|SF
CAPETOWN|CAPE TOWN|C|CT|SF
DURBAN||C|DU|SF
CHIANGMAI|CHIANG MAI|C|CHI|TH
HOCHIMINHCITY|HO CHI MINH CITY|C|HM|VM
SURABAYA||C|JS|ID
CASABLANCA||C|CL|MO
ALMATY||C|TA|KZ
WELLINGTON||E|WL|NZ
ASUNCION||E|AC|PA
MONTEVIDEO||E|MN|UY
KINGSTON||E|KG|JM
BRIDGETOWN||E|WN|BB
PORTOFSPAIN|PORT OF SPAIN|E|PO|TD
GEORGETOWN||E|GE|GY
PARAMARIBO||E|PM|NS
NASSAU||E|BH|BF
KIGALI||E|LGB|RW
LUANDA||E|LU|AO
LUSAKA||E|LS|ZA
MAPUTO||E|TO|MZ
GABORONE||E|OR|BC
WINDHOEK||E|WD|WA
BAMAKO||E|BP|ML
NIAMEY||E|NM|NG
NDJAMENA||E|NJ|CD
OUAGADOUGOU||E|OU|UV
CONAKRY||E|RY|GV
FREETOWN||E|FN|SL
MONROVIA||E|RO|LI
ABIDJAN||E|AB|IV
LOME||E|LO|TO
COTONOU||E|CO|BN
YAOUNDE||E|YD|CM
LIBREVILLE||E|LC|GB
MALABO||E|MA|EK
BANGUI||E|GI|CT
BUJUMBURA||E|JB|BY
ASMARA||E|AE|ER
DJIBOUTI||E|DJ|DJ
ANTANANARIVO||E|AN|MA
PORTLOUIS|PORT LOUIS|E|PL|MP
NOUAKCHOTT||E|NK|MR
REYKJAVIK||E|RK|IC
LUXEMBOURG||E|LE|LU
VALLETTA||E|VT|MT
PODGORICA||E|POD|MW
ULAANBAATAR||E|UM|MG
PHNOMPENH|PHNOM PENH|E|PF|CB
VIENTIANE||E|VN|LA
BERN||E|SW|SZ
";

/// Countries by tag: `TAG|Name|Adjective|officials`. Officials are surnames the body text mentions
/// in cables about the country; countries without any get synthetic ones.
const COUNTRIES: &str = "\
US|United States|American|Rice Clinton Gates Burns Fried Nuland Holbrooke Negroponte Mullen Petraeus Steinberg Gordon Feltman Boucher Hill Rood Edelman Obering
TU|Turkey|Turkish|Erdogan Gul Davutoglu Babacan Baykal Bahceli Sezer Buyukanit Basbug Cicek
IZ|Iraq|Iraqi|Maliki Talabani Hashimi Zebari Barzani Allawi Sadr Hakim Jaafari Bolani Mutlaq
AF|Afghanistan|Afghan|Karzai Spanta Wardak Atmar Abdullah Dostum Ghani Khalili Fahim Popal
FR|France|French|Sarkozy Chirac Kouchner Levitte Morin Villepin Fillon Araud Carre Richier
GM|Germany|German|Merkel Steinmeier Schroeder Jung Guttenberg Westerwelle Schaeuble Heusgen
RS|Russia|Russian|Putin Medvedev Lavrov Ivanov Serdyukov Kislyak Antonov Ryabkov Sechin Rogozin
CH|China|Chinese|Hu Wen Yang Dai Zhou Xi Tang Wu Jiang Zhang
IS|Israel|Israeli|Olmert Netanyahu Livni Barak Peres Lieberman Mofaz Dagan Ashkenazi Gilad
EG|Egypt|Egyptian|Mubarak Suleiman Nazif Tantawi Rachid Aboul-Gheit Zaki Shafik
PK|Pakistan|Pakistani|Musharraf Zardari Gilani Qureshi Kayani Sharif Bhutto Aziz Pasha Malik
JA|Japan|Japanese|Abe Fukuda Aso Hatoyama Koizumi Okada Komura Machimura Maehara Ishiba
UK|United Kingdom|British|Blair Brown Miliband Straw Cameron Hague Browne Sawers
IR|Iran|Iranian|Ahmadinejad Khamenei Larijani Mottaki Rafsanjani Jalili Khatami Mousavi Salehi
SY|Syria|Syrian|Asad Muallem Sharaa Mikdad Makhlouf Shawkat
LE|Lebanon|Lebanese|Siniora Hariri Aoun Nasrallah Berri Jumblatt Geagea Murr Lahoud
KS|South Korea|South Korean|Roh Ban Yu Song Chun Hyun Kwon Moon
KN|North Korea|North Korean|Kang Pak Choe Ri Jong
IN|India|Indian|Singh Mukherjee Gandhi Menon Narayanan Chidambaram Antony Krishna Saran
BR|Brazil|Brazilian|Lula Amorim Jobim Rousseff Mantega Patriota Serra
VE|Venezuela|Venezuelan|Chavez Maduro Rangel Cabello Ramirez
MX|Mexico|Mexican|Calderon Fox Espinosa Gomez-Mont Medina-Mora Garcia-Luna Derbez
IT|Italy|Italian|Berlusconi Prodi Frattini D'Alema Fini Napolitano Letta
SP|Spain|Spanish|Zapatero Moratinos Aznar Chacon Rubalcaba Bono
PL|Poland|Polish|Kaczynski Tusk Sikorski Klich Fotyga Waszczykowski
EZ|Czech Republic|Czech|Topolanek Schwarzenberg Klaus Vondra Pojar Parkanova
SA|Saudi Arabia|Saudi|Abdullah Saud Nayif Sultan Turki Bandar Jubeir Muqrin
JO|Jordan|Jordanian|Rifai Judeh Bakhit Dahabi Khatib Nasser
YM|Yemen|Yemeni|Saleh Qirbi Mujawar Alimi
SU|Sudan|Sudanese|Bashir Taha Ghazi Kiir Nafie Machar
NL|Netherlands|Dutch|Balkenende Verhagen Bot Koenders
BE|Belgium|Belgian|Verhofstadt Leterme Gucht Flahaut
AJ|Azerbaijan|Azerbaijani|Aliyev Mammadyarov Azimov
AM|Armenia|Armenian|Sargsian Kocharian Nalbandian
GG|Georgia|Georgian|Saakashvili Tkeshelashvili Bokeria Burjanadze
UP|Ukraine|Ukrainian|Yushchenko Tymoshenko Yanukovych Ohryzko
BO|Belarus|Belarusian|Lukashenko Martynov
MD|Moldova|Moldovan|Voronin Tarlev
LH|Lithuania|Lithuanian|Adamkus Kirkilas
LG|Latvia|Latvian|Zatlers Pabriks
EN|Estonia|Estonian|Ilves Ansip Paet
FI|Finland|Finnish|Halonen Vanhanen Stubb
SW|Sweden|Swedish|Bildt Reinfeldt
NO|Norway|Norwegian|Stoltenberg Stoere
DA|Denmark|Danish|Rasmussen Moeller
IC|Iceland|Icelandic|Haarde Gisladottir
EI|Ireland|Irish|Ahern Cowen Martin
PO|Portugal|Portuguese|Socrates Amado
AU|Austria|Austrian|Gusenbauer Plassnik Spindelegger
SZ|Switzerland|Swiss|Calmy-Rey Couchepin
LU|Luxembourg|Luxembourgish|Juncker Asselborn
MT|Malta|Maltese|Gonzi Borg
SI|Slovenia|Slovenian|Jansa Rupel
HR|Croatia|Croatian|Sanader Mesic Jandrokovic
SR|Serbia|Serbian|Tadic Jeremic Kostunica Djelic
KV|Kosovo|Kosovar|Thaci Sejdiu Hyseni
MK|Macedonia|Macedonian|Gruevski Crvenkovski Milososki
AL|Albania|Albanian|Berisha Topi Basha
BK|Bosnia|Bosnian|Dodik Silajdzic Spiric
MW|Montenegro|Montenegrin|Djukanovic Vujanovic
BU|Bulgaria|Bulgarian|Stanishev Parvanov Kalfin
RO|Romania|Romanian|Basescu Tariceanu Cioroianu
HU|Hungary|Hungarian|Gyurcsany Goncz Bajnai
LO|Slovakia|Slovak|Fico Kubis
GR|Greece|Greek|Karamanlis Bakoyannis Papandreou
CY|Cyprus|Cypriot|Christofias Talat Papadopoulos
KZ|Kazakhstan|Kazakh|Nazarbayev Tokayev Tazhin
UZ|Uzbekistan|Uzbek|Karimov Norov
KG|Kyrgyzstan|Kyrgyz|Bakiyev Otunbayeva
TI|Tajikistan|Tajik|Rahmon Zarifi
TX|Turkmenistan|Turkmen|Berdimuhamedov Meredov
MG|Mongolia|Mongolian|Enkhbayar Bayar
VM|Vietnam|Vietnamese|Dung Khiem Triet
TH|Thailand|Thai|Thaksin Abhisit Samak Surayud
MY|Malaysia|Malaysian|Badawi Najib Anwar
SN|Singapore|Singaporean|Yeo Loong
ID|Indonesia|Indonesian|Yudhoyono Kalla Wirajuda
RP|Philippines|Philippine|Arroyo Romulo
CB|Cambodia|Cambodian|Hun Hor
LA|Laos|Lao|Bouasone Thongloun
BM|Burma|Burmese|Shwe Kyi Thein
BG|Bangladesh|Bangladeshi|Hasina Zia Ahmed
CE|Sri Lanka|Sri Lankan|Rajapaksa Bogollagama Prabhakaran
NP|Nepal|Nepali|Prachanda Koirala Nepal
AS|Australia|Australian|Rudd Howard Downer Smith
NZ|New Zealand|New Zealand|Clark Key Peters
CA|Canada|Canadian|Harper MacKay Bernier Cannon
CI|Chile|Chilean|Bachelet Foxley Pinera
PE|Peru|Peruvian|Garcia Humala Belaunde
EC|Ecuador|Ecuadorian|Correa Falconi
BL|Bolivia|Bolivian|Morales Choquehuanca Linera
PA|Paraguay|Paraguayan|Lugo Duarte
UY|Uruguay|Uruguayan|Vazquez Mujica
AR|Argentina|Argentine|Kirchner Taiana Fernandez
CO|Colombia|Colombian|Uribe Santos Araujo
PM|Panama|Panamanian|Torrijos Martinelli
CS|Costa Rica|Costa Rican|Arias Stagno
NU|Nicaragua|Nicaraguan|Ortega Montealegre
HO|Honduras|Honduran|Zelaya Micheletti
ES|El Salvador|Salvadoran|Funes Saca
GT|Guatemala|Guatemalan|Colom Berger
DR|Dominican Republic|Dominican|Fernandez Morales
HA|Haiti|Haitian|Preval Alexis
JM|Jamaica|Jamaican|Golding Simpson-Miller
BB|Barbados|Barbadian|Thompson Arthur
TD|Trinidad and Tobago|Trinidadian|Manning
GY|Guyana|Guyanese|Jagdeo
NS|Suriname|Surinamese|Venetiaan
BF|Bahamas|Bahamian|Ingraham
CU|Cuba|Cuban|Castro Perez-Roque
ET|Ethiopia|Ethiopian|Meles Seyoum
TZ|Tanzania|Tanzanian|Kikwete Membe
UG|Uganda|Ugandan|Museveni Kutesa
RW|Rwanda|Rwandan|Kagame
CG|Congo|Congolese|Kabila Bemba
AO|Angola|Angolan|Santos
ZA|Zambia|Zambian|Mwanawasa Banda
ZI|Zimbabwe|Zimbabwean|Mugabe Tsvangirai
MZ|Mozambique|Mozambican|Guebuza
BC|Botswana|Botswanan|Khama
WA|Namibia|Namibian|Pohamba
GH|Ghana|Ghanaian|Kufuor Mills
SG|Senegal|Senegalese|Wade Gadio
ML|Mali|Malian|Toure
NG|Niger|Nigerien|Tandja
CD|Chad|Chadian|Deby
UV|Burkina Faso|Burkinabe|Compaore
GV|Guinea|Guinean|Conte Camara
SL|Sierra Leone|Sierra Leonean|Koroma
LI|Liberia|Liberian|Sirleaf
IV|Cote d'Ivoire|Ivoirian|Gbagbo Soro
TO|Togo|Togolese|Gnassingbe
BN|Benin|Beninese|Yayi
CM|Cameroon|Cameroonian|Biya
GB|Gabon|Gabonese|Bongo
EK|Equatorial Guinea|Equatoguinean|Obiang
CT|Central African Republic|Central African|Bozize
BY|Burundi|Burundian|Nkurunziza
ER|Eritrea|Eritrean|Isaias
DJ|Djibouti|Djiboutian|Guelleh
MA|Madagascar|Malagasy|Ravalomanana Rajoelina
MP|Mauritius|Mauritian|Ramgoolam
MR|Mauritania|Mauritanian|Abdallahi Aziz
NI|Nigeria|Nigerian|Yar'Adua Jonathan Obasanjo
KE|Kenya|Kenyan|Kibaki Odinga
SF|South Africa|South African|Mbeki Zuma Motlanthe
SO|Somalia|Somali|Yusuf Ahmed
KU|Kuwait|Kuwaiti|Sabah Nasser
QA|Qatar|Qatari|Hamad Thani
AE|United Arab Emirates|Emirati|Khalifa Zayed
BA|Bahrain|Bahraini|Hamad Khalid
MU|Oman|Omani|Qaboos
TS|Tunisia|Tunisian|Ben-Ali Abdallah
AG|Algeria|Algerian|Bouteflika Medelci
MO|Morocco|Moroccan|Fassi Fihri
LY|Libya|Libyan|Qadhafi Shalgham
TW|Taiwan|Taiwanese|Ma Chen Hsieh
HK|Hong Kong|Hong Kong|Tsang Leung
";

/// Subject tags (political, economic, military, consular, program tags), most used first.
pub(crate) const SUBJECT_TAGS: &[&str] = &[
    "PREL", "PGOV", "ECON", "PHUM", "MARR", "KDEM", "PTER", "ETRD", "EFIN", "EAID", "ENRG", "SNAR",
    "PINR", "KJUS", "KCRM", "MOPS", "PARM", "MNUC", "KNNP", "ASEC", "CASC", "CVIS", "KPAO", "OVIP",
    "OEXC", "SOCI", "SENV", "ELAB", "EINV", "EPET", "ECPS", "EAGR", "TBIO", "KTIP", "KWMN", "KIRF",
    "KISL", "SMIG", "PREF", "KPKO", "AORC", "KTFN", "KFRD", "KCFE", "KHLS", "KSCA", "TSPL", "KPAL",
    "KMDR", "PINS", "MASS", "KCOR", "KPRV", "EWWT", "EAIR", "KGHG", "KOLY", "KSUM", "CMGT", "AMGT",
    "APER", "ABUD", "KFLU", "KHIV", "PHSA", "ECIN",
];

/// Organisation tags.
pub(crate) const ORG_TAGS: &[&str] = &[
    "NATO", "EUN", "UNSC", "IAEA", "OSCE", "UNGA", "OPEC", "ASEAN", "AU", "OAS", "WTO",
];

/// Countries most often written about (weights for cables from STATE and missions).
const BUSY_COUNTRIES: &[&str] = &[
    "IR", "IZ", "AF", "PK", "RS", "CH", "IS", "KN", "TU", "FR", "GM", "UK", "SY", "LE", "EG", "SU",
    "VE", "CU", "KV", "GG", "UP", "JA", "KS", "IN", "MX", "BR", "SO", "ZI", "YM", "SA",
];

/// First names for officials (`Classified By:` lines).
pub(crate) const FIRST_NAMES: &[&str] = &[
    "Richard",
    "Victoria",
    "Josiah",
    "Robert",
    "William",
    "James",
    "John",
    "Michael",
    "David",
    "Thomas",
    "Mark",
    "Daniel",
    "Paul",
    "Christopher",
    "Anne",
    "Mary",
    "Patricia",
    "Elizabeth",
    "Susan",
    "Karen",
    "Nancy",
    "Margaret",
    "Deborah",
    "Kathleen",
    "Stephen",
    "Kevin",
    "Brian",
    "Gregory",
    "Joseph",
    "Charles",
    "Douglas",
    "Scott",
    "Eric",
    "Jeffrey",
    "Ronald",
    "Kenneth",
    "Andrew",
    "Peter",
    "Philip",
    "Lawrence",
    "Gerald",
    "Alan",
    "Dean",
    "Matthew",
    "Timothy",
    "Frank",
    "Gene",
    "Craig",
    "Ross",
    "Carol",
    "Janet",
    "Laura",
    "Helen",
    "Diane",
    "Julie",
    "Marie",
    "Maura",
    "Ellen",
    "Tatiana",
    "Dan",
    "Zalmay",
    "Ryan",
    "Christopher",
    "Alexander",
];

/// Surnames of US officials and signers.
pub(crate) const US_SURNAMES: &[&str] = &[
    "Stapleton",
    "Nuland",
    "Olson",
    "Wilson",
    "Jeffrey",
    "Crocker",
    "Khalilzad",
    "Hill",
    "Neumann",
    "Wood",
    "Eikenberry",
    "Burns",
    "Beyrle",
    "Schieffer",
    "Randt",
    "Huntsman",
    "Jones",
    "Jordan",
    "Ricciardone",
    "Scobey",
    "Feltman",
    "Sison",
    "Ford",
    "Gray",
    "Volker",
    "Daalder",
    "Timken",
    "Tuttle",
    "Aguirre",
    "Spogli",
    "Fore",
    "Garza",
    "Pascual",
    "Sobel",
    "Wayne",
    "Brownfield",
    "McKinley",
    "Duddy",
    "Ranneberger",
    "Bolton",
    "Rice",
    "Satterfield",
    "Patterson",
    "Ryan",
    "Tefft",
    "Taylor",
    "Bryza",
    "Heffern",
    "Yovanovitch",
    "Gfoeller",
    "Hoagland",
    "Krol",
    "Ordway",
    "Boyce",
    "Joseph",
    "Ashe",
    "Benson",
    "Sedney",
    "Dibble",
    "Moore",
    "Chamberlin",
    "Mussomeli",
    "Ries",
    "Swan",
    "Mull",
    "Kennedy",
    "Keith",
    "Marshall",
    "Harris",
    "Parker",
    "Cook",
    "Lewis",
    "Walker",
    "Hall",
    "Allen",
    "Young",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Carter",
    "Mitchell",
    "Roberts",
    "Turner",
    "Phillips",
    "Campbell",
    "Evans",
    "Edwards",
    "Collins",
    "Stewart",
    "Morris",
    "Rogers",
    "Reed",
    "Bailey",
    "Bell",
    "Murphy",
    "Cooper",
    "Richardson",
    "Cox",
    "Howard",
    "Ward",
    "Peterson",
    "Gray",
    "Watson",
    "Brooks",
    "Kelly",
    "Sanders",
    "Price",
    "Bennett",
    "Barnes",
    "Ross",
    "Henderson",
    "Coleman",
    "Jenkins",
    "Perry",
    "Powell",
    "Long",
    "Patterson",
    "Hughes",
    "Flores",
    "Washington",
    "Butler",
    "Simmons",
    "Foster",
    "Bryant",
    "Alexander",
    "Russell",
    "Griffin",
    "Hayes",
    "Myers",
    "Hamilton",
    "Graham",
    "Sullivan",
    "Wallace",
    "Woods",
    "Cole",
    "West",
    "Owens",
    "Reynolds",
    "Fisher",
    "Ellis",
    "Harrison",
    "Gibson",
    "Mcdonald",
    "Cruz",
    "Marshall",
];

/// More surnames of all origins, for body text.
pub(crate) const WORLD_SURNAMES: &str = "Garcia Rodriguez Martinez Hernandez Lopez Gonzalez \
Perez Sanchez Ramirez Torres Rivera Gomez Diaz Reyes Morales Ortiz Gutierrez Ramos Ruiz Alvarez \
Mendoza Castillo Jimenez Moreno Romero Herrera Medina Aguilar Vargas Guzman Mendez Silva Santos \
Oliveira Souza Costa Pereira Ferreira Almeida Carvalho Muller Schmidt Schneider Fischer Weber \
Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf Smirnov Kuznetsov Popov Sokolov \
Lebedev Kozlov Novikov Morozov Petrov Volkov Vasilyev Zaitsev Pavlov Semenov Fedorov Mikhailov \
Orlov Kiselev Makarov Andreev Kovalev Stepanov Yakovlev Sorokin Romanov Zakharov Borisov \
Gerasimov Nikitin Polyakov Danilov Zhukov Frolov Krylov Sidorov Egorov Kalinin Markov Gromov \
Hassan Hussein Ali Ahmed Mohammed Ibrahim Khalil Mahmoud Mustafa Said Salem Nasser Karim \
Rashid Farouk Haddad Khoury Mansour Hamdan Jaber Qasim Yousef Othman Bakr Darwish Habib \
Rahman Khan Hussain Iqbal Chaudhry Butt Shah Akhtar Siddiqui Wang Li Zhang Liu Chen Huang Zhao \
Xu Sun Zhu Guo He Lin Tanaka Suzuki Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Kato \
Yoshida Yamada Sasaki Park Kim Lee Choi Jung Kang Cho Yoon Jang Nguyen Tran Le Pham Hoang Phan \
Kowalski Nowak Wisniewski Wojcik Kaminski Lewandowski Novak Svoboda Dvorak Horvat Kovac \
Papadopoulos Georgiou Nikolaidis Yilmaz Kaya Demir Sahin Celik Yildiz Aydin Ozturk Arslan \
Dogan Kilic Aslan Cetin Kara Koc Kurt Ozdemir Rossi Russo Ferrari Esposito Bianchi Romano \
Colombo Ricci Marino Greco Bruno Gallo Conti Dupont Durand Lefebvre Moreau Laurent Simon \
Michel Lefevre Leroy Roux Fournier Girard Bonnet Mercier Okafor Okonkwo Mensah Mwangi Otieno \
Kamau Banda Phiri Moyo Dlamini Nkosi Ndlovu Diallo Traore Keita Coulibaly Kone Toure Sow";

/// Cable signers for STATE by period (last year inclusive).
pub(crate) const SECSTATE_SIGNERS: &[(u16, &str)] = &[
    (1968, "RUSK"),
    (1972, "ROGERS"),
    (1976, "KISSINGER"),
    (1980, "VANCE"),
    (1982, "HAIG"),
    (1988, "SHULTZ"),
    (1992, "BAKER"),
    (1996, "CHRISTOPHER"),
    (2000, "ALBRIGHT"),
    (2004, "POWELL"),
    (2008, "RICE"),
    (2010, "CLINTON"),
];

/// A few real chiefs of mission: `TOKEN|first year|last year|SIGNER`.
const REAL_SIGNERS: &str = "\
PARIS|2005|2009|STAPLETON
PARIS|2009|2010|RIVKIN
USNATO|2005|2008|NULAND
USNATO|2008|2009|VOLKER
USNATO|2009|2010|DAALDER
BAGHDAD|2005|2007|KHALILZAD
BAGHDAD|2007|2009|CROCKER
BAGHDAD|2009|2010|HILL
ANKARA|2005|2008|WILSON
ANKARA|2008|2010|JEFFREY
KABUL|2005|2007|NEUMANN
KABUL|2007|2009|WOOD
KABUL|2009|2010|EIKENBERRY
MOSCOW|2005|2008|BURNS
MOSCOW|2008|2010|BEYRLE
TOKYO|2005|2009|SCHIEFFER
BEIJING|2004|2009|RANDT
BEIJING|2009|2010|HUNTSMAN
TELAVIV|2005|2010|JONES
CAIRO|2005|2008|RICCIARDONE
CAIRO|2008|2010|SCOBEY
ISLAMABAD|2004|2007|CROCKER
ISLAMABAD|2007|2010|PATTERSON
BERLIN|2005|2009|TIMKEN
LONDON|2005|2009|TUTTLE
MADRID|2005|2009|AGUIRRE
ROME|2005|2009|SPOGLI
";

/// What kind of post a station is; decides its `FM` line and display name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    State,
    Embassy,
    Consulate,
    Mission,
    Usun,
    Useu,
    Interests,
    Reo,
    Ait,
    Office,
}

/// A sending post.
#[derive(Debug, Clone)]
pub(crate) struct Station {
    /// The identifier token: `THEHAGUE`.
    pub token: String,
    /// As written in telegrams: `THE HAGUE`.
    pub written: String,
    /// The `FM` line's addressee: `AMEMBASSY THE HAGUE`.
    pub fm: String,
    /// The display name: `Embassy The Hague`.
    pub display: String,
    /// The routing indicator: `RUEHTC`.
    pub route: String,
    pub kind: Kind,
    /// Index into [`Data::countries`], or `None` for STATE and organisation missions.
    pub country: Option<usize>,
    /// The organisation tag of a mission (`NATO`), if any.
    pub org_tag: Option<String>,
    /// A plausible number of cables the post sends per year (scales serial numbers).
    pub annual: u32,
    /// An invented post (not in the real set).
    pub synthetic: bool,
}

/// A country and what text about it mentions.
#[derive(Debug, Clone)]
pub(crate) struct Country {
    pub tag: String,
    pub name: String,
    pub adjective: String,
    /// Officials' surnames: real ones first, then invented ones.
    pub officials: Vec<String>,
    /// How many of `officials` are real.
    pub real_officials: usize,
}

/// All fixed data, built once.
pub(crate) struct Data {
    pub stations: Vec<Station>,
    pub station_alias: Alias,
    pub by_token: HashMap<String, usize>,
    pub countries: Vec<Country>,
    pub country_by_tag: HashMap<String, usize>,
    pub busy_countries: Vec<usize>,
    pub surnames: Vec<String>,
    real_signers: Vec<(String, u16, u16, String)>,
}

/// The number of station tokens, real and synthetic.
pub(crate) const STATION_COUNT: usize = 375;

/// The shared data.
pub(crate) fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(build)
}

/// Title case for display names: `THE HAGUE` → `The Hague`.
pub(crate) fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A synthetic proper name from syllables: `Korvani`, `Dalmetov`.
pub(crate) fn synthetic_name(rng: &mut Rng, min_syl: usize, max_syl: usize) -> String {
    const ONSETS: &[&str] = &[
        "k", "l", "m", "r", "z", "d", "v", "s", "b", "t", "n", "g", "h", "p", "sh", "kh", "br",
        "tr", "ch", "j", "y", "f", "",
    ];
    const NUCLEI: &[&str] = &["a", "o", "i", "e", "u", "a", "o", "a", "e", "ai"];
    const CODAS: &[&str] = &["", "", "", "", "n", "r", "l", "s", "m", "t"];
    const ENDINGS: &[&str] = &[
        "ov", "enko", "ani", "ara", "ez", "ski", "ic", "ola", "in", "an", "ey", "ia", "os", "is",
        "", "", "", "",
    ];
    let n = min_syl + rng.below(max_syl - min_syl + 1);
    let mut s = String::new();
    for i in 0..n {
        s.push_str(rng.pick_str(ONSETS));
        s.push_str(rng.pick_str(NUCLEI));
        if i + 1 < n {
            s.push_str(rng.pick_str(CODAS));
        }
    }
    s.push_str(rng.pick_str(ENDINGS));
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

fn build() -> Data {
    // Countries.
    let mut countries = Vec::new();
    let mut country_by_tag = HashMap::new();
    for line in COUNTRIES.lines().filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('|').collect();
        let mut officials: Vec<String> = f[3].split_whitespace().map(str::to_string).collect();
        let real_officials = officials.len();
        let mut rng = Rng::new(hash_str(f[0]));
        while officials.len() < 8 {
            officials.push(synthetic_name(&mut rng, 2, 3));
        }
        country_by_tag.insert(f[0].to_string(), countries.len());
        countries.push(Country {
            tag: f[0].to_string(),
            name: f[1].to_string(),
            adjective: f[2].to_string(),
            officials,
            real_officials,
        });
    }
    let busy_countries = BUSY_COUNTRIES
        .iter()
        .map(|t| country_by_tag[*t])
        .collect::<Vec<_>>();

    // Real stations.
    let mut stations: Vec<Station> = Vec::new();
    let mut used_routes: HashSet<String> = HashSet::new();
    let mut by_token = HashMap::new();
    for line in STATIONS.lines().filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('|').collect();
        let token = f[0];
        let written = if f[1].is_empty() { token } else { f[1] };
        debug_assert_eq!(written.replace(' ', ""), token);
        let kind = match f[2] {
            "S" => Kind::State,
            "E" => Kind::Embassy,
            "C" => Kind::Consulate,
            "M" => Kind::Mission,
            "U" => Kind::Usun,
            "B" => Kind::Useu,
            "I" => Kind::Interests,
            "R" => Kind::Reo,
            "A" => Kind::Ait,
            _ => Kind::Office,
        };
        let route = if f[3].len() >= 5 {
            f[3].to_string()
        } else {
            format!("RUEH{}", f[3])
        };
        used_routes.insert(route.clone());
        let (country, org_tag) = match country_by_tag.get(f[4]) {
            Some(&c) if kind != Kind::State => (Some(c), None),
            Some(_) => (None, None),
            None => (None, Some(f[4].to_string())),
        };
        by_token.insert(token.to_string(), stations.len());
        stations.push(make_station(token, written, kind, route, country, org_tag));
    }

    // Synthetic stations up to the real count.
    let mut rng = Rng::new(0x5747_4154_494F_4E53);
    let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    while stations.len() < STATION_COUNT {
        let name = synthetic_name(&mut rng, 2, 3).to_uppercase();
        if name.len() < 5 || name.len() > 12 || by_token.contains_key(&name) {
            continue;
        }
        if !name.bytes().all(|b| b.is_ascii_uppercase()) {
            continue;
        }
        let kind = if rng.chance(0.75) {
            Kind::Embassy
        } else {
            Kind::Consulate
        };
        let route = loop {
            let r = format!(
                "RUEH{}{}",
                letters[rng.below(26)] as char,
                letters[rng.below(26)] as char
            );
            if used_routes.insert(r.clone()) {
                break r;
            }
            if used_routes.len() > 600 {
                break format!("RUEH{}", &name[..3]);
            }
        };
        let country = Some(rng.below(countries.len() - 1) + 1);
        by_token.insert(name.clone(), stations.len());
        let mut station = make_station(&name, &name, kind, route, country, None);
        station.synthetic = true;
        stations.push(station);
    }

    // Busyness: Zipf-like over the rank, with a steeper fall in the tail. The 60 busiest real
    // posts keep their order; the other real posts are jittered and mostly stay ahead of the
    // invented ones, which fill the tail.
    let real = stations.iter().filter(|s| !s.synthetic).count();
    let mut keyed: Vec<(f64, usize)> = (0..stations.len())
        .map(|i| {
            let key = if i < 60 {
                i as f64
            } else if i < real {
                i as f64 + 60.0 * rng.f64()
            } else {
                140.0 + 1.3 * (i - real) as f64 + 80.0 * rng.f64()
            };
            (key, i)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
    let mut weights = vec![0.0; stations.len()];
    for (rank, &s) in order.iter().enumerate() {
        let mut w = 1.0 / (rank as f64 + 20.0).powf(1.5);
        if rank > 250 {
            w *= (-((rank - 250) as f64) / 40.0).exp();
        }
        weights[s] = w;
        stations[s].annual = if stations[s].kind == Kind::State {
            135_000
        } else {
            (250.0 + 4500.0 / (1.0 + rank as f64 / 6.0)) as u32
        };
    }
    let station_alias = Alias::new(&weights);

    // Surnames for body text.
    let mut surnames: Vec<String> = WORLD_SURNAMES
        .split_whitespace()
        .map(str::to_string)
        .collect();
    surnames.extend(US_SURNAMES.iter().map(|s| s.to_string()));
    for c in &countries {
        surnames.extend(c.officials[..c.real_officials].iter().cloned());
    }
    let mut seen = HashSet::new();
    surnames.retain(|s| seen.insert(s.clone()));

    let real_signers = REAL_SIGNERS
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('|').collect();
            (
                f[0].to_string(),
                f[1].parse().unwrap(),
                f[2].parse().unwrap(),
                f[3].to_string(),
            )
        })
        .collect();

    Data {
        stations,
        station_alias,
        by_token,
        countries,
        country_by_tag,
        busy_countries,
        surnames,
        real_signers,
    }
}

fn make_station(
    token: &str,
    written: &str,
    kind: Kind,
    route: String,
    country: Option<usize>,
    org_tag: Option<String>,
) -> Station {
    let title = title_case(written);
    let (fm, display) = match kind {
        Kind::State => (
            "SECSTATE WASHDC".to_string(),
            "Secretary of State".to_string(),
        ),
        Kind::Embassy => (format!("AMEMBASSY {written}"), format!("Embassy {title}")),
        Kind::Consulate => (format!("AMCONSUL {written}"), format!("Consulate {title}")),
        Kind::Mission => {
            let display = match token {
                "UNVIEVIENNA" => "Mission UNVIE".to_string(),
                "USNATO" | "USOSCE" => format!("Mission {token}"),
                _ => format!("Mission {title}"),
            };
            (format!("USMISSION {written}"), display)
        }
        Kind::Usun => (format!("USMISSION {written}"), "USUN New York".to_string()),
        Kind::Useu => (written.to_string(), "USEU Brussels".to_string()),
        Kind::Interests => (
            format!("USINT {written}"),
            format!("US Interests Section {title}"),
        ),
        Kind::Reo => (format!("REO {written}"), format!("REO {title}")),
        Kind::Ait => (
            format!("AIT {written}"),
            format!("American Institute Taiwan, {title}"),
        ),
        Kind::Office => (format!("USOFFICE {written}"), format!("US Office {title}")),
    };
    // The gazetteer's display name where it knows the post: what the parser gives a cable
    // whose text names the station but has no `FM` line.
    let display = archive_cable::gazetteer::Gazetteer::builtin()
        .station(token)
        .map_or(display, |s| s.name.clone());
    Station {
        token: token.to_string(),
        written: written.to_string(),
        fm,
        display,
        route,
        kind,
        country,
        org_tag,
        annual: 500,
        synthetic: false,
    }
}

impl Data {
    /// The station for a token; unknown tokens become an embassy of that name.
    pub fn station(&self, token: &str) -> std::borrow::Cow<'_, Station> {
        match self.by_token.get(token) {
            Some(&i) => std::borrow::Cow::Borrowed(&self.stations[i]),
            None => {
                let route = format!(
                    "RUEH{}",
                    token
                        .chars()
                        .filter(char::is_ascii_alphabetic)
                        .take(2)
                        .collect::<String>()
                );
                std::borrow::Cow::Owned(make_station(
                    token,
                    token,
                    Kind::Embassy,
                    route,
                    None,
                    None,
                ))
            }
        }
    }

    /// The chief of mission signing a station's cables in a given year.
    pub fn signer(&self, station: &Station, year: u16) -> String {
        if station.kind == Kind::State {
            return SECSTATE_SIGNERS
                .iter()
                .find(|(last, _)| year <= *last)
                .map(|(_, s)| s.to_string())
                .unwrap_or_else(|| "CLINTON".to_string());
        }
        for (tok, first, last, name) in &self.real_signers {
            if *tok == station.token && (*first..=*last).contains(&year) {
                return name.clone();
            }
        }
        let h = hash_str(&station.token) ^ u64::from(year / 3);
        let mut rng = Rng::new(h);
        US_SURNAMES[rng.below(US_SURNAMES.len())].to_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stations_are_consistent() {
        let d = data();
        assert_eq!(d.stations.len(), STATION_COUNT);
        let mut tokens = HashSet::new();
        for s in &d.stations {
            assert!(tokens.insert(s.token.clone()), "duplicate {}", s.token);
            assert_eq!(s.written.replace(' ', ""), s.token);
            assert!(s.token.bytes().all(|b| b.is_ascii_uppercase()));
        }
        let paris = d.station("PARIS");
        assert_eq!(paris.fm, "AMEMBASSY PARIS");
        assert_eq!(paris.display, "Embassy Paris");
        assert_eq!(d.station("STATE").display, "Secretary of State");
        assert_eq!(d.station("USNATO").display, "Mission USNATO");
        assert_eq!(d.station("USNATO").fm, "USMISSION USNATO");
        assert_eq!(d.station("DUBAI").display, "Consulate Dubai");
        assert_eq!(d.station("THEHAGUE").display, "Embassy The Hague");
        assert_eq!(d.station("USEUBRUSSELS").display, "USEU Brussels");
        assert_eq!(d.station("HAVANA").display, "US Interests Section Havana");
        assert_eq!(d.signer(&d.station("PARIS"), 2007), "STAPLETON");
    }
}
