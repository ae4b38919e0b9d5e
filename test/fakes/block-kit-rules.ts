/**
 * Slack's published Block Kit and chat.postMessage limits, checked the way Slack checks them, so the
 * Slack fake refuses what real Slack would refuse and rendering tests can assert against the same rules.
 * https://api.slack.com/reference/block-kit/blocks
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  sectionFieldText: 2000,
  sectionFields: 10,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  /** Slack truncates past 40,000 and in practice refuses well before it; the project keeps under 4,000. */
  messageText: 40_000,
  markdownBlockText: 12_000,
  /**
   * Undocumented: Slack answers msg_blocks_too_long when all the text in a message's blocks together
   * passes about 12,000 characters, whatever each block's own limit (bolt-js issues 2509 and 2867; a
   * Slack engineer there: "12,000 text characters with a buffer for block containers"). Reports put the
   * real edge anywhere from ~11,300 to ~13,300, so the fake takes the figure Slack's staff gave.
   */
  blocksTextTotal: 12_000,
  contextActionsElements: 5,
  accessibilityLabel: 75,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  placeholderText: 150,
  inputLabel: 2000,
  viewTitle: 24,
  viewSubmit: 24,
  privateMetadata: 3000,
  callbackId: 255,
} as const;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (v: Json | undefined): string | undefined =>
  isObj(v) && typeof v.text === 'string' ? v.text : undefined;

/**
 * The characters Slack counts towards `blocksTextTotal`: every string `text` anywhere in the blocks, so
 * section text and fields, context elements, headers, button and option labels, placeholders, confirm
 * dialogs, markdown blocks and rich_text runs all add up. Counted in UTF-16 units like the other limits.
 */
export function blocksTextLength(blocks: unknown): number {
  if (Array.isArray(blocks)) return blocks.reduce((sum: number, b: unknown) => sum + blocksTextLength(b), 0);
  if (!isObj(blocks)) return 0;
  let sum = typeof blocks.text === 'string' ? blocks.text.length : 0;
  for (const value of Object.values(blocks)) {
    if (typeof value === 'object' && value !== null) sum += blocksTextLength(value);
  }
  return sum;
}

/** Returns one line per rule the blocks break; empty when Slack would accept them. */
export function blockKitViolations(
  blocks: unknown,
  maxBlocks: number = SLACK_LIMITS.blocksPerMessage,
): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks must be an array'];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  const actionIds = new Set<string>();
  const blockIds = new Set<string>();
  blocks.forEach((block: unknown, i) => {
    if (!isObj(block) || typeof block.type !== 'string') {
      problems.push(`block ${i} has no type`);
      return;
    }
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id)) problems.push(`duplicate block_id ${block.block_id}`);
      if (block.block_id.length > SLACK_LIMITS.blockId) problems.push(`block ${i} block_id too long`);
      blockIds.add(block.block_id);
    }
    const checkText = (label: string, t: Json | undefined, max: number, required = false) => {
      const s = textOf(t);
      if (s === undefined) {
        if (required) problems.push(`block ${i} ${label} is missing`);
        return;
      }
      if (s.length === 0) problems.push(`block ${i} ${label} is empty`);
      if (s.length > max) problems.push(`block ${i} ${label} is ${s.length} chars > ${max}`);
    };
    const checkActionId = (el: Obj) => {
      if (typeof el.action_id !== 'string') return;
      if (actionIds.has(el.action_id)) problems.push(`duplicate action_id ${el.action_id}`);
      if (el.action_id.length > SLACK_LIMITS.actionId) problems.push(`action_id too long`);
      actionIds.add(el.action_id);
    };
    const checkValue = (label: string, value: Json | undefined, required: boolean) => {
      if (value === undefined) {
        if (required) problems.push(`block ${i} ${label} is missing`);
      } else if (typeof value !== 'string') problems.push(`block ${i} ${label} must be a string`);
      else if (value.length > SLACK_LIMITS.buttonValue)
        problems.push(`block ${i} ${label} is ${value.length} chars > ${SLACK_LIMITS.buttonValue}`);
    };
    const checkPlainLabel = (label: string, button: Obj) => {
      checkText(label, button.text, SLACK_LIMITS.buttonText, true);
      if (isObj(button.text) && button.text.type !== 'plain_text')
        problems.push(`block ${i} ${label} must be plain_text`);
      const a11y = button.accessibility_label;
      if (typeof a11y === 'string' && a11y.length > SLACK_LIMITS.accessibilityLabel)
        problems.push(`block ${i} ${label} accessibility_label is ${a11y.length} chars > 75`);
    };
    // https://docs.slack.dev/reference/block-kit/blocks/context-actions-block: feedback and icon buttons only.
    const checkContextAction = (el: Json) => {
      if (!isObj(el)) {
        problems.push(`block ${i} context_actions element is not an object`);
        return;
      }
      checkActionId(el);
      if (el.type === 'feedback_buttons') {
        for (const side of ['positive_button', 'negative_button'] as const) {
          const button = el[side];
          if (!isObj(button)) {
            problems.push(`block ${i} feedback_buttons ${side} is missing`);
            continue;
          }
          checkPlainLabel(`${side} text`, button);
          checkValue(`${side} value`, button.value, true);
        }
      } else if (el.type === 'icon_button') {
        // Slack's reference: "The trash icon is the only icon available at this time."
        if (el.icon !== 'trash') problems.push(`block ${i} icon_button icon must be trash`);
        checkPlainLabel('icon_button text', el);
        checkValue('icon_button value', el.value, false);
        const visible = el.visible_to_user_ids;
        if (visible !== undefined && !(Array.isArray(visible) && visible.every((u) => typeof u === 'string')))
          problems.push(`block ${i} icon_button visible_to_user_ids must be an array of user ids`);
      } else {
        problems.push(`block ${i} context_actions cannot hold ${String(el.type)}`);
      }
    };
    const checkElement = (el: Json) => {
      if (!isObj(el)) return;
      checkActionId(el);
      if (el.type === 'static_select' || el.type === 'overflow') {
        const options = Array.isArray(el.options) ? el.options : [];
        const max = el.type === 'overflow' ? 5 : SLACK_LIMITS.selectOptions;
        if (options.length === 0 || options.length > max)
          problems.push(`block ${i} ${el.type} has ${options.length} options`);
        for (const o of options) {
          checkText('option text', isObj(o) ? o.text : undefined, SLACK_LIMITS.optionText, true);
          if (isObj(o) && typeof o.value === 'string' && o.value.length > SLACK_LIMITS.optionValue) {
            problems.push(`block ${i} option value is ${o.value.length} chars > ${SLACK_LIMITS.optionValue}`);
          }
        }
        if (el.placeholder !== undefined)
          checkText('placeholder', el.placeholder, SLACK_LIMITS.placeholderText);
      }
      if (el.type === 'button') {
        checkText('button text', el.text, SLACK_LIMITS.buttonText, true);
        if (typeof el.value === 'string' && el.value.length > SLACK_LIMITS.buttonValue) {
          problems.push(`block ${i} button value is ${el.value.length} chars > ${SLACK_LIMITS.buttonValue}`);
        }
      }
    };
    switch (block.type) {
      case 'section': {
        const fields = Array.isArray(block.fields) ? block.fields : [];
        if (block.text === undefined && fields.length === 0)
          problems.push(`block ${i} section needs text or fields`);
        checkText('section text', block.text, SLACK_LIMITS.sectionText);
        if (fields.length > SLACK_LIMITS.sectionFields)
          problems.push(`block ${i} has ${fields.length} fields`);
        for (const f of fields) checkText('field', f, SLACK_LIMITS.sectionFieldText, true);
        if (block.accessory !== undefined) checkElement(block.accessory);
        if (block.expand !== undefined && typeof block.expand !== 'boolean')
          problems.push(`block ${i} section expand must be a boolean`);
        break;
      }
      case 'header':
        checkText('header text', block.text, SLACK_LIMITS.headerText, true);
        if (isObj(block.text) && block.text.type !== 'plain_text')
          problems.push(`block ${i} header must be plain_text`);
        break;
      case 'context': {
        const els = Array.isArray(block.elements) ? block.elements : [];
        if (els.length === 0 || els.length > SLACK_LIMITS.contextElements) {
          problems.push(`block ${i} context has ${els.length} elements`);
        }
        for (const el of els) checkText('context element', el, SLACK_LIMITS.contextText);
        break;
      }
      case 'actions': {
        const els = Array.isArray(block.elements) ? block.elements : [];
        if (els.length === 0 || els.length > SLACK_LIMITS.actionsElements) {
          problems.push(`block ${i} actions has ${els.length} elements`);
        }
        for (const el of els) checkElement(el);
        break;
      }
      case 'context_actions': {
        const els = Array.isArray(block.elements) ? block.elements : [];
        if (els.length === 0 || els.length > SLACK_LIMITS.contextActionsElements) {
          problems.push(`block ${i} context_actions has ${els.length} elements`);
        }
        for (const el of els) checkContextAction(el);
        break;
      }
      case 'markdown':
        if (typeof block.text !== 'string' || block.text.length > SLACK_LIMITS.markdownBlockText) {
          problems.push(`block ${i} markdown text missing or too long`);
        }
        break;
      case 'input':
        checkText('input label', block.label, SLACK_LIMITS.inputLabel, true);
        if (!isObj(block.element)) problems.push(`block ${i} input has no element`);
        else checkElement(block.element);
        break;
      case 'divider':
      case 'rich_text':
      case 'image':
        break;
      default:
        problems.push(`block ${i} has unknown type ${block.type}`);
    }
  });
  return problems;
}

/** Rules of a modal or Home tab view, on top of its blocks' rules. */
export function viewViolations(view: unknown): string[] {
  if (!isObj(view)) return ['view must be a JSON object'];
  const problems = blockKitViolations(view.blocks, SLACK_LIMITS.blocksPerView);
  if (view.type === 'modal') {
    const title = textOf(view.title);
    if (!title || title.length > SLACK_LIMITS.viewTitle)
      problems.push(`modal title missing or over ${SLACK_LIMITS.viewTitle} chars`);
    const submit = textOf(view.submit);
    if (submit !== undefined && submit.length > SLACK_LIMITS.viewSubmit)
      problems.push('modal submit text too long');
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && submit === undefined) problems.push('a modal with inputs needs a submit button');
  }
  if (
    typeof view.private_metadata === 'string' &&
    view.private_metadata.length > SLACK_LIMITS.privateMetadata
  ) {
    problems.push(
      `private_metadata is ${view.private_metadata.length} chars > ${SLACK_LIMITS.privateMetadata}`,
    );
  }
  if (typeof view.callback_id === 'string' && view.callback_id.length > SLACK_LIMITS.callbackId)
    problems.push('callback_id too long');
  return problems;
}
