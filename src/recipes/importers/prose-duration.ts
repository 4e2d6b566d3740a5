/**
 * HowToCook states the total time only in prose ("从备料到出锅大约需要 30 分钟"), often next to
 * partial times ("需提前浸泡 8 小时", "动手操作只需 5 分钟"). Only a time introduced by an
 * approximation or total cue and not inside a partial-time clause is trusted; ranges are not.
 */

const DURATION = /(\d+(?:\.\d+)?|[一二两三四五六七八九十半]+)\s*(个)?\s*(半)?\s*(小时|分钟)(?:\s*(\d+)\s*分钟?)?/g;
/** "3-4 小时", "20 至 30 分钟", or a garbled "1.大约 5 小时". */
const RANGE_BEFORE = /(?:(?:\d|[一二两三四五六七八九十])\s*(?:-|~|～|至|到)\s*|\d\.\D{0,3})$/;
const TOTAL_CUE_BEFORE = /(全程|总|整个|整体|从.{1,8}到|时长|耗时|用时)[^，。,；;]*$/;
const CUE_BEFORE = /(约|需|全程|总|共|预计|一般|通常|用时|耗时|时长)[^，。,；;]*$/;
const PARTIAL_BEFORE = /(提前|浸泡|泡发|腌|冷藏|冷冻|发酵|静置|放置|动手|实际|熟练后|最快|高火|加热|其中|备菜|烹饪)[^，。,；;]*$/;

const DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** "十五" → 15, "四十" → 40, "半" → 0.5; undefined for anything else. */
export function parseChineseNumber(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === '半') return 0.5;
  const match = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!match || text.length === 0) return undefined;
  const [, tensOrUnit, ten, unit] = match;
  if (!ten) return tensOrUnit ? DIGITS[tensOrUnit] : undefined;
  return (tensOrUnit ? DIGITS[tensOrUnit] : 1) * 10 + (unit ? DIGITS[unit] : 0);
}

export function parseProseMinutes(prose: string): number | undefined {
  const candidates: Array<{ minutes: number; total: boolean }> = [];
  for (const match of prose.matchAll(DURATION)) {
    const before = prose.slice(Math.max(0, match.index - 16), match.index);
    if (RANGE_BEFORE.test(before)) return undefined;
    const total = TOTAL_CUE_BEFORE.test(before);
    if ((PARTIAL_BEFORE.test(before) && !total) || !CUE_BEFORE.test(before)) continue;
    const amount = parseChineseNumber(match[1]);
    if (amount === undefined) continue;
    const hoursOrMinutes = amount + (match[3] ? 0.5 : 0);
    const minutes = match[4] === '小时' ? hoursOrMinutes * 60 + Number(match[5] ?? 0) : hoursOrMinutes;
    if (minutes > 0) candidates.push({ minutes: Math.round(minutes), total });
  }
  // "预计备菜 7 分钟，烹饪 10 分钟，总共约 17 分钟": a stated total beats the first approximate time.
  return (candidates.find((candidate) => candidate.total) ?? candidates[0])?.minutes;
}
