import { fullDateTime } from './day-label.js';

/** Space kept between the tip, the time it is about and the window's edges. */
const GAP_PX = 6;

/**
 * The full date and time of a line, shown when its time is tapped (or clicked). The column shows
 * only HH:MM and the rest is in a hover title, which touch screens never show. One popover serves
 * the whole log, found through one listener on the log rather than one per line; it closes on a
 * tap elsewhere or Escape (popover="auto") and when the log scrolls away from it.
 */
export class TimeTip {
  private readonly log: HTMLElement;
  private readonly tip: HTMLElement;

  constructor(log: HTMLElement, tip: HTMLElement) {
    this.log = log;
    this.tip = tip;
    log.addEventListener('click', this.logOnClick);
    log.addEventListener('scroll', this.logOnScroll, { passive: true });
  }

  private show(time: HTMLTimeElement): void {
    const instant = Date.parse(time.dateTime);
    if (!Number.isFinite(instant)) return;
    this.tip.textContent = fullDateTime(instant);
    if (!this.tip.matches(':popover-open')) this.tip.showPopover();
    // Above the time, or below it when there is no room above; never past the window's edges.
    const anchor = time.getBoundingClientRect();
    const { width, height } = this.tip.getBoundingClientRect();
    const above = anchor.top - height - GAP_PX;
    const top = above >= GAP_PX ? above : anchor.bottom + GAP_PX;
    const left = Math.max(GAP_PX, Math.min(anchor.left, window.innerWidth - width - GAP_PX));
    this.tip.style.top = `${Math.round(top)}px`;
    this.tip.style.left = `${Math.round(left)}px`;
  }

  private readonly logOnClick = (event: MouseEvent): void => {
    const time = event.target instanceof Element ? event.target.closest('.entry__time') : null;
    if (time instanceof HTMLTimeElement && this.log.contains(time)) this.show(time);
  };

  private readonly logOnScroll = (): void => {
    if (this.tip.matches(':popover-open')) this.tip.hidePopover();
  };
}
