import { describe, expect, it } from 'vitest'
import type { ComputedFlag, FlagKind } from '@nabij/shared/moderation/flags'
import { computeFlags } from '../../../server/src/modules/moderation/flags.js'
import { isBelgianNationalNumber } from '../../../server/src/modules/moderation/personal-data.js'

/** The flags of one kind, as [matched text, text at the span] pairs: the span must be exactly the match. */
function found(text: string, language: string, kind: FlagKind): string[] {
  const { flags } = computeFlags(text, { language })
  return flags.filter((f) => f.kind === kind).map((f: ComputedFlag) => {
    expect(text.slice(f.start, f.end)).toBe(f.match)
    expect(f.reason).not.toBe('')
    return f.match
  })
}
const kinds = (text: string, language: string) => computeFlags(text, { language }).flags.map((f) => f.kind)

describe('personal data flags', () => {
  it('finds e-mail addresses in any language', () => {
    expect(found('Mijn buurman (jan.peeters@telenet.be) zegt dat hij niets ziet.', 'nl', 'email')).toEqual(['jan.peeters@telenet.be'])
    expect(found('Écrivez-lui à sophie_dubois+voisins@gmail.com, elle a tout vu.', 'fr', 'email')).toEqual(['sophie_dubois+voisins@gmail.com'])
    expect(found('يمكنكم مراسلتي على ahmed.benali@hotmail.com إذا احتجتم', 'ar', 'email')).toEqual(['ahmed.benali@hotmail.com'])
  })

  it('finds Belgian, Dutch and international phone numbers', () => {
    expect(found('Bel de eigenaar op 0470 12 34 56 of op het vaste nummer 02/511.22.33.', 'nl', 'phone')).toEqual(['0470 12 34 56', '02/511.22.33'])
    expect(found('Zijn nummer is 06-12345678, hij belt elke nacht.', 'nl', 'phone')).toEqual(['06-12345678'])
    expect(found('Komşumun numarası +90 532 123 45 67, her gece gürültü yapıyor.', 'tr', 'phone')).toEqual(['+90 532 123 45 67'])
    expect(found('Proszę dzwonić: 0032 486 12 34 56, po godzinie 18.', 'pl', 'phone')).toEqual(['0032 486 12 34 56'])
    expect(found('رقم هاتف صاحب السيارة 0487654321 وهو يقف هنا كل يوم', 'ar', 'phone')).toEqual(['0487654321'])
    // Written in Arabic-Indic digits, as an Arabic keyboard types them.
    expect(found('رقم هاتفه ٠٤٨٧٦٥٤٣٢١ ويقف هنا كل يوم', 'ar', 'phone')).toEqual(['٠٤٨٧٦٥٤٣٢١'])
  })

  it('does not take a date, a time or a police reference for a phone number', () => {
    expect(found('Het gebeurde op 12-03-2024 om 22:00, PV-nummer BR.12.L1.012345/2024.', 'nl', 'phone')).toEqual([])
    expect(found('Le 15.03.2024 vers 21h, dossier 2023/045612, facture 123456789.', 'fr', 'phone')).toEqual([])
    expect(found('Sipariş numarası 0123456789, 3 kez aradım.', 'tr', 'phone')).toEqual([])
  })

  it('finds Belgian national register numbers only when the checksum holds', () => {
    expect(isBelgianNationalNumber('85073003328')).toBe(true)
    // Born in 2000 or later: the check is computed with a leading 2.
    expect(isBelgianNationalNumber('01010100185')).toBe(false)
    const born2001 = '010101001'
    const check = String(97 - (Number(`2${born2001}`) % 97)).padStart(2, '0')
    expect(isBelgianNationalNumber(born2001 + check)).toBe(true)
    expect(found('Zijn rijksregisternummer is 85.07.30-033.28, dat stond op de brief.', 'nl', 'national_number')).toEqual(['85.07.30-033.28'])
    expect(found('Numéro national : 85073003328.', 'fr', 'national_number')).toEqual(['85073003328'])
    expect(found('Numer 85.07.30-033.29 to nie jest prawdziwy numer.', 'pl', 'national_number')).toEqual([])
  })

  it('finds IBANs only when the checksum holds', () => {
    expect(found('Hij vraagt geld op BE68 5390 0754 7034 voor de "parking".', 'nl', 'iban')).toEqual(['BE68 5390 0754 7034'])
    expect(found('Il demande de verser sur NL91ABNA0417164300 chaque semaine.', 'fr', 'iban')).toEqual(['NL91ABNA0417164300'])
    expect(found('Rekening BE68 5390 0754 7035 klopt niet.', 'nl', 'iban')).toEqual([])
  })

  it('finds Belgian and Dutch licence plates but not dates or postcodes', () => {
    expect(found('De witte bestelwagen 1-ABC-123 staat elke dag op het voetpad.', 'nl', 'licence_plate')).toEqual(['1-ABC-123'])
    expect(found('Une voiture immatriculée 2XYZ987 roule trop vite.', 'fr', 'licence_plate')).toEqual(['2XYZ987'])
    expect(found('Nederlandse auto met kenteken 12-ZTG-4 en een oude ABC-123 uit België.', 'nl', 'licence_plate')).toEqual(['12-ZTG-4', 'ABC-123'])
    expect(found('Plaka 1-KRT-456 olan araba her gün burada.', 'tr', 'licence_plate')).toEqual(['1-KRT-456'])
    expect(found('Op 12-03-24 in 1050 Elsene, bus 71 richting De Brouckère.', 'nl', 'licence_plate')).toEqual([])
  })

  it('finds street addresses with a house number, not a street name alone', () => {
    expect(found('De dealer woont in de Kerkstraat 14 bus 3, tweede verdieping.', 'nl', 'address')).toEqual(['Kerkstraat 14 bus 3'])
    expect(found('Il habite rue de la Loi 16 et il sort tous les soirs.', 'fr', 'address')).toEqual(['rue de la Loi 16'])
    expect(found('Les jeunes squattent devant le 12, rue Haute depuis des semaines.', 'fr', 'address')).toEqual(['12, rue Haute'])
    expect(found('Sprzedaje narkotyki przy Ninoofsesteenweg 300, codziennie.', 'pl', 'address')).toEqual(['Ninoofsesteenweg 300'])
    expect(found('Er wordt gedeald op de hoek van de Kerkstraat en de Molenbeekstraat, om 22 u.', 'nl', 'address')).toEqual([])
    expect(found('Rue Haute vers 21 h, trois jeunes sur la place Flagey.', 'fr', 'address')).toEqual([])
    expect(found('Kerkstraat 22:30, tien minuten lawaai.', 'nl', 'address')).toEqual([])
  })
})

describe('abuse flags', () => {
  it('finds slurs against migrant communities in any language, through case, diacritics and leetspeak', () => {
    expect(found('Die KUTMAROKKANEN van hiernaast dealen weer.', 'nl', 'slur')).toEqual(['KUTMAROKKANEN'])
    expect(found('Weer die k4nk3rm4r0kk44n op het plein.', 'nl', 'slur')).toEqual(['k4nk3rm4r0kk44n'])
    expect(found('Ce sale arabe met sa musique trop fort.', 'fr', 'slur')).toEqual(['sale arabe'])
    expect(found('Les bougnoules du quartier encore.', 'fr', 'slur')).toEqual(['bougnoules'])
    expect(found('Bu pis Suriyeliler her yeri kirletiyor.', 'tr', 'slur')).toEqual(['pis Suriyeliler'])
    expect(found('Ci ciapaci znowu piją pod blokiem.', 'pl', 'slur')).toEqual(['ciapaci'])
    expect(found('هؤلاء الزنوج يبيعون المخدرات قرب الحديقة', 'ar', 'slur')).toEqual(['الزنوج'])
    expect(found('Die n e g e r van de overkant.', 'nl', 'slur')).toEqual(['n e g e r'])
  })

  it('finds profanity from the maintained lists in the declared language and in English', () => {
    expect(found('Hij riep "klootzak" en "kut" naar de buren.', 'nl', 'profanity')).toEqual(['klootzak', 'kut'])
    expect(found('Il crie "connard" et "putain" toute la nuit.', 'fr', 'profanity')).toEqual(['connard', 'putain'])
    expect(found('Komşum her gece bağırıyor, siktir git diyor.', 'tr', 'profanity')).toEqual(['siktir'])
    expect(found('Krzyczą kurwa całą noc pod oknem.', 'pl', 'profanity')).toEqual(['kurwa'])
    expect(found('يصرخ الجار كل ليلة ويقول شرموطة للنساء', 'ar', 'profanity')).toEqual(['شرموطة'])
    expect(found('Ze schreeuwen fuuuuck en motherfucker.', 'nl', 'profanity')).toEqual(['fuuuuck', 'motherfucker'])
  })

  it('does not flag the ordinary words of a report', () => {
    const texts: [string, string][] = [
      ['Er ligt hondenpoep en een drol voor de deur en er zit een gat in de weg.', 'nl'],
      ['Iemand staat elke nacht te piesen tegen de gevel, ook naakt.', 'nl'],
      ['Mijn nicht zag dat ze negeren wat de wijkagent zegt.', 'nl'],
      ['Des jeunes bourrés font pipi contre la porte.', 'fr'],
      ['Dün akşam parkta bağıran gençler vardı, ama polis gelmedi.', 'tr'],
      ['Ktoś ukradł jajko z lodówki w piwnicy. Na klatce jest syf.', 'pl'],
      ['Hay drogas y prostitución en la plaza, un asesinato el año pasado.', 'es'],
      ['Someone painted a swastika; I think it was a hate incident, not a prank.', 'en'],
      ['Le racisme dans le quartier me fait peur; au marché arabe tout le monde se connaît.', 'fr'],
    ]
    for (const [text, language] of texts) expect(kinds(text, language).filter((k) => k === 'profanity' || k === 'slur'), text).toEqual([])
  })
})

describe('spam flags', () => {
  it('finds links, with or without a scheme', () => {
    expect(found('Goedkope pillen op https://cheap-pills.example/buy?x=1 en www.casino-royal.xyz!', 'nl', 'link'))
      .toEqual(['https://cheap-pills.example/buy?x=1', 'www.casino-royal.xyz'])
    expect(found('Allez voir gagner-facile.bet pour gagner.', 'fr', 'link')).toEqual(['gagner-facile.bet'])
  })

  it('does not take an e-mail address or an abbreviation for a link', () => {
    expect(found('Mail naar info@wijk.be, o.a. over de bus.', 'nl', 'link')).toEqual([])
  })

  it('finds repeated characters and repeated words', () => {
    expect(found('HELP!!!!!!!!! niemand doet iets', 'nl', 'repeated_characters')).toEqual(['!!!!!!!!!'])
    expect(found('kopen kopen kopen kopen kopen nu', 'nl', 'repeated_characters')).toEqual(['kopen kopen kopen kopen kopen'])
    expect(found('Dossier 2024/000000 en huisnummer 111', 'nl', 'repeated_characters')).toEqual([])
  })
})

describe('language flag', () => {
  it('names the language actually written when it differs from the declared one', () => {
    const fr = computeFlags('Des jeunes font du bruit tous les soirs devant le magasin, on ne peut pas dormir.', { language: 'nl' })
    expect(fr.detectedLanguage).toBe('fr')
    expect(fr.flags.find((f) => f.kind === 'language_mismatch')?.match).toBe('fr')
    expect(computeFlags('Her gece parkın yanında gençler yüksek sesle müzik dinliyor ve bağırıyorlar.', { language: 'nl' }).detectedLanguage).toBe('tr')
    expect(computeFlags('Ktoś codziennie wieczorem sprzedaje narkotyki przy placu zabaw obok szkoły.', { language: 'fr' }).detectedLanguage).toBe('pl')
    expect(computeFlags('هناك شباب يبيعون المخدرات كل ليلة قرب الحديقة', { language: 'nl' }).detectedLanguage).toBe('ar')
  })

  it('stays silent when the declared language is right or the text too short to tell', () => {
    expect(computeFlags('Er wordt elke avond gedeald bij het speelpleintje achter de school.', { language: 'nl' }).detectedLanguage).toBeNull()
    expect(computeFlags('Bruit!', { language: 'nl' }).detectedLanguage).toBeNull()
    expect(kinds('k4nk3r!!! k u t', 'nl')).not.toContain('language_mismatch')
  })
})

describe('what a flag found, for the moderator\'s language', () => {
  it('carries values, not English words: countries, phone types, slur targets, languages, counts', () => {
    const details = (text: string, language: string, kind: FlagKind) => computeFlags(text, { language }).flags.filter((f) => f.kind === kind).map((f) => f.details)
    expect(details('Bel 0470 12 34 56 of 02/511.22.33 of +90 532 123 45 67.', 'nl', 'phone')).toEqual([
      { country: 'BE', type: 'mobile' }, { country: 'BE', type: 'fixed_line' }, { country: 'TR', type: 'mobile' },
    ])
    expect(details('Rekening BE68 5390 0754 7034.', 'nl', 'iban')).toEqual([{ country: 'BE' }])
    expect(details('Rijksregisternummer 85.07.30-033.28.', 'nl', 'national_number')).toEqual([{ country: 'BE' }])
    expect(details('Auto 12-ZTG-4 en ABC-123.', 'nl', 'licence_plate')).toEqual([{ country: 'NL' }, { country: 'BE', format: 'old' }])
    expect(details('Die KUTMAROKKANEN van hiernaast.', 'nl', 'slur')).toEqual([{ target: 'north_african' }])
    expect(details('HELP!!!!!!!!! kopen kopen kopen kopen kopen', 'nl', 'repeated_characters')).toEqual([{ text: '!', count: 9 }, { text: 'kopen', count: 5 }])
    expect(details('Des jeunes font du bruit tous les soirs devant le magasin, on ne peut pas dormir.', 'nl', 'language_mismatch')).toEqual([{ detected: 'fr', declared: 'nl' }])
  })
})

describe('a clean report', () => {
  it('earns no flag at all', () => {
    for (const [text, language] of [
      ['Er wordt elke avond gedeald bij het speelpleintje achter de school aan de Molenbeekstraat.', 'nl'],
      ['Depuis trois semaines, des voitures se garent sur le trottoir devant l’école, rue Haute.', 'fr'],
      ['Her akşam saat 22:00’den sonra parkta yüksek sesle müzik çalınıyor.', 'tr'],
      ['Od tygodnia na chodniku przy przystanku leżą potłuczone butelki.', 'pl'],
      ['يوجد ضوء شارع مكسور منذ أسبوعين في الشارع قرب المدرسة', 'ar'],
    ]) expect(computeFlags(text!, { language: language! }).flags, text).toEqual([])
  })
})
