// Dates and times as the bot says them, in Japan time.
const DAY_FORMAT = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  month: 'long',
  day: 'numeric',
});
const TIME_FORMAT = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  hour: 'numeric',
  minute: '2-digit',
});

/** 「今日 13:05」 or 「11月24日 9:30」; always the date with `absolute` (a memo read out days later). */
export function formatWhen(at: number, now: number, absolute = false): string {
  const day = DAY_FORMAT.format(at);
  return `${day === DAY_FORMAT.format(now) && !absolute ? '今日' : day} ${TIME_FORMAT.format(at)}`;
}
