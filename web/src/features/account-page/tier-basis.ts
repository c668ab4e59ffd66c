/** The rank's place from the top as a percentage (1 of 200 is the top 1%), rounded up. */
export function topPercent(rank: number, of: number): number {
  if (of <= 0) return 100;
  return Math.min(100, Math.max(1, Math.ceil((rank / of) * 100)));
}
