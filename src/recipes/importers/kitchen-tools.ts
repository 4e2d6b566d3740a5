/**
 * HowToCook lists tools in the same bullets as ingredients. A tool in an ingredient list would
 * make "what can I cook with 锅" match every dish, so tools are recognised here and kept apart.
 */

const TOOL_NAMES = new Set([
  '锅',
  '刀',
  '砧板',
  '菜板',
  '碗',
  '盘子',
  '盆',
  '筷子',
  '铲子',
  '锅铲',
  '锅盖',
  '勺子',
  '漏勺',
  '吧勺',
  '厨房纸',
  '吸油纸',
  '保鲜膜',
  '锡纸',
  '锡箔纸',
  '铝箔纸',
  '烘焙纸',
  '烘焙油纸',
  '油纸',
  '硅油纸',
  '温度计',
  '量杯',
  '量勺',
  '厨房秤',
  '定时器',
  '打火机',
  '燃气灶',
  '冰箱',
  '烤箱',
  '蒸箱',
  '微波炉',
  '电饭煲',
  '空气炸锅',
  '擀面杖',
  '刷子',
  '布',
  '纱布',
  '牙签',
  '模具',
  '容器',
  '烤盘',
  '烤网',
  '蒸架',
  '蒸笼',
  '蒸笼垫',
  '密封袋',
  '滤网',
  '筛网',
  '笊篱',
  '蒜臼',
  '捣药罐',
  '瓦罐',
  '砵',
  '杯子',
  '刮刀',
  '刮板',
  '分蛋器',
  '隔热手套',
  '防烫手套',
  '披萨石',
  '烤架',
  '工具',
  '搅拌工具',
  '雪克杯',
  '雪克瓶',
  '量酒器',
  '调酒杯',
  '海波杯',
  '高球杯',
  '利口酒杯',
  '煲汤盅',
  '厨房用夹',
  '剪刀',
  '明火',
  '灶台',
  '吸管',
  '搅拌棒',
  '小斧头',
]);

/**
 * Endings that name kitchenware rather than food (炒锅, 搅拌机, 打蛋器, 蒸鱼盘子, 锡纸盘…). 匙 is a
 * spoon like 勺: 牛排 lists 汤匙 among its ingredients and tools.
 */
const TOOL_SUFFIX =
  /(锅|机|器|刀|碗|盘|盘子|盆|杯|杯子|箱|炉|灶|盖|煲|纸|膜|板|筷|筷子|勺|勺子|匙|铲|铲子|模具|容器|网|架|垫|夹|秤|杖|签|碟|碟子|盅|臼|铛|手套|计|锅盖|纱布|密封袋|过滤袋)$/;

/** Foods whose names happen to end like a tool. */
const FOOD_EXCEPTIONS = /(火锅底料|锅巴|锅盔|糯米纸|米纸|威化纸|巧克力板|豆腐板|芝麻板|年糕板)$/;

/** Leading counts and descriptions that do not change what the thing is ("1 个", "一口", "直径 18cm 的"). */
const LEADING_NOISE = /^(?:[\d.]+\s*|[一二两三四五六七八九十]+)\s*(?:个|口|把|双|只|台|张|块)?\s*/;

export function isKitchenTool(name: string): boolean {
  const trimmed = name
    .replace(LEADING_NOISE, '')
    .replace(/(一个|一双|一把|一口|一台|一块|一张|若干|两个|\d+\s*个)$/, '')
    .trim();
  if (!trimmed) return false;
  if (FOOD_EXCEPTIONS.test(trimmed)) return false;
  if (TOOL_NAMES.has(trimmed)) return true;
  return TOOL_SUFFIX.test(trimmed);
}
