import type { TObjection, TSkill } from '../../schemas/objections.ts';

/**
 * The seven typical objections of method §5, shipped as defaults.
 *
 * Every objection is treated as the prospect asking for more information: the prepared responses
 * acknowledge it, ask what matters to them, and propose a short meeting (the step the rep controls).
 * The Chinese text of each objection follows the seed text; the responses are written for reps,
 * not translated from the English. Teams edit all of this; codes stay stable.
 */

export const DEFAULT_OBJECTION_CODES = [
  'send-material',
  'in-house',
  'have-supplier',
  'not-responsible',
  'no-budget',
  'price-too-high',
  'bad-experience',
] as const;
export type DefaultObjectionCode = (typeof DEFAULT_OBJECTION_CODES)[number];

export interface DefaultObjection extends TObjection {
  code: DefaultObjectionCode;
  label: { zh: string; en: string };
}

export const DEFAULT_OBJECTIONS: readonly DefaultObjection[] = [
  {
    code: 'send-material',
    label: { zh: '请寄资料', en: 'Send me material' },
    zh: '请寄书面资料给我。',
    en: 'Please send me some written material.',
    variants: {
      zh: [
        '你先发点资料给我看看吧。',
        '把你们的介绍发到我邮箱，我有空再看。',
        '有宣传册吗？寄一份过来就行。',
      ],
      en: [
        "Just email me something and I'll have a look.",
        'Can you send me a brochure?',
        "Send over some information and I'll get back to you.",
      ],
    },
    responses: [
      {
        code: 'bring-and-walk-through',
        preferred: true,
        zh: '当然可以。资料内容比较多，光看文字不一定能看出和贵公司有什么关系。不如我亲自带过来，用二十分钟把跟您最相关的部分讲一讲，您有问题也可以当场问。您看下周二上午还是周四下午方便？',
        en: "Of course. There's quite a lot in it, and on paper it's hard to see what applies to your company. Why don't I bring it over and take twenty minutes to walk you through the parts that matter to you, so you can ask questions on the spot? Would Tuesday morning or Thursday afternoon next week suit you better?",
      },
      {
        code: 'ask-what-matters',
        preferred: false,
        zh: '好的，我来准备。为了不给您一大堆用不上的东西，想先请教一下：您最关心的是哪方面？价格、交货周期，还是售后服务？我按您的重点整理好，当面跟您过一遍，十五分钟就够。',
        en: "Happy to. So I don't bury you in pages you won't need, may I ask what matters most to you: price, lead times or after-sales support? I'll put together exactly that and go through it with you in person; fifteen minutes is enough.",
      },
      {
        code: 'send-and-book',
        preferred: false,
        zh: '没问题，我今天就发给您。资料里有几处要结合贵公司的实际情况才好理解，我们先约个时间，等您收到后花十五分钟当面或电话聊一下。下周三下午可以吗？',
        en: "No problem, I'll send it today. A few parts only make sense with your situation in mind, so let's book fifteen minutes, in person or by phone, for after you've received it. Would Wednesday afternoon next week work?",
      },
    ],
  },
  {
    code: 'in-house',
    label: { zh: '内部自己能做', en: 'We do it in-house' },
    zh: '我们自己内部就能供应这种产品（服务）。',
    en: 'We can supply this in-house.',
    variants: {
      zh: ['这个我们自己做就行，不用找外面的。', '我们有自己的团队在做这一块。'],
      en: ['We do that ourselves.', 'Our own team already handles this.'],
    },
    responses: [
      {
        code: 'complement-in-house',
        preferred: true,
        zh: '有自己的团队，说明贵公司很重视这一块。我们不少客户也是自己在做，他们找我们，通常是为了应付旺季高峰或者一些专业性强的环节，让内部团队专心做核心工作。我带两个案例过来，用二十分钟跟您聊聊他们是怎么分工的，您看哪天合适？',
        en: 'Having your own team shows this matters to you. Many of our clients do it in-house too; they usually bring us in for peak periods or specialised work, so their own people can stay focused on the core. Could I bring a couple of examples and take twenty minutes to show how they split the work? Which day suits you?',
      },
      {
        code: 'compare-cost',
        preferred: false,
        zh: '明白。冒昧问一下，内部做这一块，一年大概要投入多少人手和费用？我们可以帮您做一份对比：如果外包不划算，您多了一个参照；如果划算，您多了一个选择。我下周把测算带过来，半小时就能讲清楚。',
        en: "Understood. May I ask roughly how many people and how much budget it takes to do this in-house each year? We can put together a side-by-side comparison: if outsourcing doesn't pay, you have a benchmark; if it does, you have an option. I can bring the figures next week; half an hour is enough.",
      },
    ],
  },
  {
    code: 'have-supplier',
    label: { zh: '已有供应商', en: 'We have a supplier' },
    zh: '我们已经有供应商了。',
    en: 'We already have a supplier.',
    variants: {
      zh: [
        '我们一直有固定的合作伙伴。',
        '现在用的这家挺好的，暂时不考虑换。',
        '我们跟现在的厂家合作好多年了。',
      ],
      en: [
        "We're happy with our current supplier.",
        "We've worked with the same vendor for years.",
        "We're covered on that, thanks.",
      ],
    },
    responses: [
      {
        code: 'second-source',
        preferred: true,
        zh: '有稳定的供应商是好事，我也不是来劝您马上换的。很多客户会留一家备选，遇到交期紧张或者价格变动，手里有个对比。我把我们的方案带过来，您花二十分钟看看有没有值得参考的地方，好吗？',
        en: "A reliable supplier is a good thing, and I'm not asking you to switch. Many clients keep a second source so they have a comparison when lead times slip or prices move. Could I bring our proposal over and take twenty minutes to show you where we might be worth a look?",
      },
      {
        code: 'ask-what-could-be-better',
        preferred: false,
        zh: '明白。想请教一下，当初选他们，您最看重的是什么？现在的合作里，如果有一点可以做得更好，会是哪一点？我们见面聊二十分钟，我具体说说我们在这方面是怎么做的。',
        en: "Understood. What made you choose them in the first place? And if one thing about the current arrangement could be better, what would it be? Let's meet for twenty minutes and I'll show you exactly how we handle that.",
      },
    ],
  },
  {
    code: 'not-responsible',
    label: { zh: '不是负责人', en: 'Not the person responsible' },
    zh: '我不是这项工作的负责人。',
    en: "I'm not the person responsible for this.",
    variants: {
      zh: ['这事不归我管。', '这个你得去找别的部门。', '我做不了主，得领导定。'],
      en: [
        "That's not my department.",
        "You'll need to speak to someone else about this.",
        "It's not my call.",
      ],
    },
    responses: [
      {
        code: 'ask-referral',
        preferred: true,
        zh: '谢谢您告诉我。请问这件事一般是哪位负责？方便告诉我他的姓名和联系方式吗？我联系他的时候，可以说是您介绍的吗？',
        en: 'Thank you for telling me. Who usually looks after this? Could you give me their name and the best way to reach them, and may I mention that you suggested I call?',
      },
      {
        code: 'meet-with-both',
        preferred: false,
        zh: '明白。虽然不是您拍板，但这方面的情况您肯定很了解。能不能约个时间，我跟您和负责的同事一起聊二十分钟？你们觉得有价值，我们再往下谈。',
        en: "I see. Even if it isn't your decision, you clearly know how things work there. Could we set up twenty minutes with you and the colleague who decides? If you both find it useful, we take it from there.",
      },
    ],
  },
  {
    code: 'no-budget',
    label: { zh: '没有预算', en: 'No budget' },
    zh: '我们没有购买这类产品或服务的预算。',
    en: 'We have no budget for this.',
    variants: {
      zh: ['今年的预算已经用完了。', '这一块没有列进预算。', '公司现在在控制成本，暂时不花这个钱。'],
      en: [
        "There's no budget for this right now.",
        'Our budget for this year is already spent.',
        "We're cutting costs at the moment.",
      ],
    },
    responses: [
      {
        code: 'plan-next-budget',
        preferred: true,
        zh: '理解，预算都是提前定好的。请问贵公司下一轮预算一般什么时候开始编？我们趁现在见个面，把方案和费用先跟您讲清楚，到编预算的时候您手上就有现成的依据，可以直接列进去。',
        en: 'I understand; budgets are set in advance. When does your next budget round usually start? If we meet now, I can walk you through the proposal and the costs, so when the time comes you have what you need to put it in.',
      },
      {
        code: 'show-savings',
        preferred: false,
        zh: '明白。不少客户一开始也没有这笔预算，后来算下来，我们的方案帮他们省下的钱比花出去的还多。我带一份按贵公司情况做的测算过来，二十分钟，您看看是不是也算得过来，好吗？',
        en: 'Understood. Many of our clients had no budget for it at first, until the numbers showed it saved them more than it cost. Could I bring a calculation based on your situation and take twenty minutes to see whether it adds up for you too?',
      },
    ],
  },
  {
    code: 'price-too-high',
    label: { zh: '价格太高', en: 'Price too high' },
    zh: '你们的价格太高了。',
    en: 'Your price is too high.',
    variants: {
      zh: ['太贵了。', '别家比你们便宜不少。', '这个价格我们接受不了。'],
      en: ["That's too expensive.", 'Others quote a lot less.', "We can't justify that price."],
    },
    responses: [
      {
        code: 'compared-with-what',
        preferred: true,
        zh: '谢谢您直说。想了解一下，您觉得高，是跟其他家的报价比，还是跟内部的预算比？不同方案包含的内容往往不一样，我们约二十分钟，我把报价逐项跟您对一遍，看看差在哪里、哪些是您真正需要的。',
        en: "Thanks for being direct. Too high compared with what: another quote, or your budget? Offers often include different things, so let's take twenty minutes to go through the quote line by line and see where the difference is and what you really need.",
      },
      {
        code: 'total-cost',
        preferred: false,
        zh: '价格确实很重要。不过除了单价，把交货、质量和售后的成本都算进去，结果可能不一样。我带一份总成本对比过来，我们一起算一算，您再做判断，怎么样？',
        en: 'Price certainly matters. But once delivery, quality and after-sales costs are counted as well as the unit price, the picture can change. Let me bring a total-cost comparison so we can work it through together, and then you decide. How does that sound?',
      },
    ],
  },
  {
    code: 'bad-experience',
    label: { zh: '以前用过不满意', en: 'Bad past experience' },
    zh: '我们以前用过你们的产品，但不太满意。',
    en: "We used your product before and weren't satisfied.",
    variants: {
      zh: ['你们上次的货问题不少。', '以前合作过，体验不太好。', '用过，不怎么样。'],
      en: ["We tried you before and it didn't work out.", 'Last time we had nothing but problems.'],
    },
    responses: [
      {
        code: 'listen-and-fix',
        preferred: true,
        zh: '很抱歉给您留下了不好的印象，也谢谢您愿意告诉我。能具体说说当时出了什么问题吗？我先把情况弄清楚，然后当面跟您讲讲我们后来做了哪些改进，也听听您现在最在意的是什么。',
        en: "I'm sorry we let you down, and thank you for telling me. Could you tell me what went wrong at the time? I'd like to understand it first, then meet you to show what we have changed since, and hear what matters most to you now.",
      },
      {
        code: 'small-trial',
        preferred: false,
        zh: '您的顾虑我完全理解，换了谁都会谨慎。能不能给我们一次小范围试用的机会，让结果来说话？我们约个时间，我把试用方案带过来，跟您一起把标准定清楚。',
        en: "I completely understand your caution; anyone would be careful. Would you give us a small trial and let the results speak? Let's find a time for me to bring a trial plan and agree with you on how we'll measure it.",
      },
    ],
  },
];

/** The default skill that goes with an objection: answering it. Works for team-added objections too. */
export function skillForObjection(objection: Pick<TObjection, 'code' | 'zh' | 'en' | 'label'>): TSkill {
  const zh = objection.label?.zh ?? trimSentence(objection.zh || objection.en);
  const en = objection.label?.en ?? trimSentence(objection.en || objection.zh);
  return {
    code: skillCodeForObjection(objection.code),
    objectionCode: objection.code,
    zh: `应对「${zh}」`,
    en: `Answering "${en}"`,
  };
}

// "你们的价格太高了。" -> "你们的价格太高了", so the name does not carry sentence punctuation.
const trimSentence = (text: string): string => text.trim().replace(/[。．.!！?？]+$/u, '');

/** The code of the default skill for an objection code. */
export const skillCodeForObjection = (objectionCode: string): string => `objection:${objectionCode}`;

export const DEFAULT_SKILLS: readonly TSkill[] = DEFAULT_OBJECTIONS.map(skillForObjection);
