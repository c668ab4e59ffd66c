/**
 * The account's address in one line: province, city and district before the street address, leaving out those
 * the address already names. Vendor exports (企业地址) usually hold the whole address, "宁波市慈溪市人民路274号" or
 * "浙江省宁波市…": repeating the places before it read "浙江省 宁波市 慈溪市 宁波市慈溪市人民路274号". The account
 * page shows it, and the plan's calendar events carry it as their location.
 */
export function fullAddress(place: {
  province: string | null;
  city: string | null;
  district: string | null;
  address: string | null;
}): string {
  const address = place.address?.trim() ?? '';
  const parts: string[] = [];
  for (const part of [place.province, place.city, place.district]) {
    const name = part?.trim();
    if (name && !parts.includes(name) && !address.includes(name)) parts.push(name);
  }
  return address ? [...parts, address].join(' ') : parts.join(' ');
}
