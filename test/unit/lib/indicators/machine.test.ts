import { describe, expect, it } from 'vitest';
import { EventFlag, EventType } from '../../../../lib/event-types';
import { columns } from '../../helpers/columns';
import { classifyEvents, countsAsHuman, MachineClass } from '../../../../lib/indicators/machine';

const AGENTS: Record<number, string> = {
  1: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  2: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  3: 'Mozilla/5.0', // Apple Mail Privacy Protection's proxy
};


const { click, open, optOut, mirror, web } = EventType;

describe('machine or human, per event, with the reason', () => {
  it('takes the source flags first, then image-proxy agents; a plain open or click is human', () => {
    const cols = columns([
      [100, 1, open, 0, 1, 0],
      [101, 2, open, 0, 1, EventFlag.machine],
      [102, 3, open, 0, 1, EventFlag.proxy],
      [103, 4, open, 0, 2, 0],
      [104, 5, open, 0, 2, EventFlag.machine | EventFlag.proxy],
      [105, 6, click, 7, 1, 0],
      [106, 7, open, 0, 0, 0],
      [107, 8, open, 0, 3, 0],
    ]);
    expect(Array.from(classifyEvents(cols, (id) => AGENTS[id]))).toEqual([
      MachineClass.human,
      MachineClass.machine,
      MachineClass.privacyProxy,
      MachineClass.imageProxy,
      MachineClass.machine,
      MachineClass.human,
      MachineClass.human,
      MachineClass.privacyProxy, // Apple's proxy by its agent, without the source's flag
    ]);
  });

  it('counts people and their opens through Gmail’s proxy as human, nothing else', () => {
    expect([0, 1, 2, 3, 4].filter((c) => countsAsHuman(c))).toEqual([MachineClass.human, MachineClass.imageProxy]);
  });

  it('marks a burst: three or more different links by one recipient, each within a second of the last', () => {
    const cols = columns([
      [200, 1, click, 1, 1, 0],
      [200, 2, click, 1, 1, 0], // another recipient, interleaved: not part of recipient 1's run
      [200, 1, click, 2, 1, 0],
      [201, 1, click, 3, 1, 0],
      [209, 1, click, 4, 1, 0], // 8 s later: a new run of one
      [300, 3, click, 5, 1, 0], // recipient 3: the same link three times is a person double-clicking
      [300, 3, click, 5, 1, 0],
      [301, 3, click, 5, 1, 0],
      [400, 4, click, 1, 1, 0], // recipient 4: two links at once is not enough
      [400, 4, click, 2, 1, 0],
    ]);
    const classes = Array.from(classifyEvents(cols, (id) => AGENTS[id]));
    const { human, burst } = MachineClass;
    expect(classes).toEqual([burst, human, burst, burst, human, human, human, human, human, human]);
  });

  it('finds a burst in columns that are not in time order (the recipient tab reads newest segments first)', () => {
    const cols = columns([
      [501, 1, click, 3, 1, 0],
      [900, 1, click, 4, 1, 0],
      [500, 1, click, 1, 1, 0],
      [500, 1, click, 2, 1, 0],
    ]);
    const { human, burst } = MachineClass;
    expect(Array.from(classifyEvents(cols, (id) => AGENTS[id]))).toEqual([burst, human, burst, burst]);
  });

  it('counts the opt-out and mirror-page links of a burst with its clicks: scanners inflate opt-outs too', () => {
    const cols = columns([
      [200, 1, click, 1, 1, 0],
      [200, 1, mirror, 2, 1, 0],
      [201, 1, optOut, 3, 1, 0], // three different links in a second: a burst, whatever their types
      [201, 1, open, 0, 1, 0], // the pixel is no link: a scanner's open is told by its agent or flag, not here
      [201, 1, web, 4, 1, 0], // a page of the site tracked after the click: not a link of the email
      [300, 2, optOut, 3, 1, 0], // recipient 2 unsubscribes after reading the mail online: a person
      [340, 2, mirror, 2, 1, 0],
      [500, 3, mirror, 2, 1, 0], // recipient 3: an opt-out and a mirror page at once are two links, not three
      [500, 3, optOut, 3, 1, 0],
    ]);
    const { human, burst } = MachineClass;
    expect(Array.from(classifyEvents(cols, (id) => AGENTS[id]))).toEqual([
      burst,
      burst,
      burst,
      human,
      human,
      human,
      human,
      human,
      human,
    ]);
  });

  it('follows the rules of the settings: a wider gap joins a later click, more links undo a burst', () => {
    const cols = columns([
      [200, 1, click, 1, 1, 0],
      [200, 1, click, 2, 1, 0],
      [201, 1, click, 3, 1, 0],
      [209, 1, click, 4, 1, 0], // 8 s after the third
      [400, 4, click, 1, 1, 0], // recipient 4: two links at once
      [400, 4, click, 2, 1, 0],
    ]);
    const { human, burst } = MachineClass;
    const classify = (burstGapS: number, burstLinks: number): number[] =>
      Array.from(classifyEvents(cols, (id) => AGENTS[id], { burstGapS, burstLinks }));
    expect(classify(1, 3)).toEqual([burst, burst, burst, human, human, human]); // the defaults
    expect(classify(10, 3)).toEqual([burst, burst, burst, burst, human, human]);
    expect(classify(10, 5)).toEqual([human, human, human, human, human, human]);
    expect(classify(0, 2)).toEqual([burst, burst, human, human, burst, burst]);
  });
});
