/**
 * One gateway run: the fold of a Gateway's decide() over a time-ordered stream of events.
 * Calls are decided when they arrive; reservations are given back when a failed answer
 * arrives, so a call decided while another is in flight sees that one's reservation, as on
 * the real gateway. Decided calls come out in arrival order once their answer is known.
 */
import type { Decision, Reservation } from "../engine/types.js";
import type { Gateway, GatewayCall } from "../gateway/types.js";
import { MinHeap } from "./heap.js";
import { undecidableMessage, watchArgs } from "./unknown-args.js";
import type { CallEvent, DecidedCall, Outcome, ReplayEvent, ReplayOptions } from "./types.js";
import type { RecordedDecision } from "../tape/schema.js";

/** A call whose answer has not come after this much virtual time is reported unanswered. */
const UNANSWERED_AFTER_MS = 10 * 60_000;
/** Most calls held back waiting for an earlier call's answer before it is reported unanswered. */
const MAX_HELD = 10_000;
/**
 * Most requests kept waiting for their answer (to give a reservation back on an error). Past
 * this, the oldest is taken as never answered, as the gateway would: it keeps its reservation.
 * Bounds memory on tapes whose answers were lost.
 */
const MAX_IN_FLIGHT = 100_000;

/** What `push` returns when no call's report is complete (most events): one shared empty list, not a new one each time. */
const NO_CALLS: readonly DecidedCall[] = Object.freeze([]);

interface Slot {
  call: DecidedCall;
  answered: boolean;
}

export class GatewayRun {
  /** Requests waiting for their answer, by pairing key. */
  private readonly inFlight = new Map<string, Slot>();
  /** Calls not yet reported, from `heldStart` on; the reported ones before it are cleared, so that nothing keeps them alive. */
  private readonly held: (Slot | undefined)[] = [];
  private heldStart = 0;
  private readonly rollbacks = new MinHeap<Reservation[]>();
  private readonly identities = new Map<string, string>();
  private readonly claims = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly gateway: Gateway,
    private readonly options: ReplayOptions,
    private readonly durationOf: (ms: number) => number = (ms) => ms,
  ) {}

  /** Feeds one event; returns the calls whose report is now complete, in arrival order. */
  push(event: ReplayEvent): readonly DecidedCall[] {
    this.applyRollbacksUntil(event.t);
    switch (event.type) {
      case "session":
        if (event.identity) this.identities.set(event.session, event.identity);
        if (event.claims) this.claims.set(event.session, event.claims);
        break;
      case "tools":
        this.gateway.listTools(event.tools);
        break;
      case "call":
        this.onCall(event);
        break;
      case "answer": {
        const slot = this.inFlight.get(event.key);
        if (slot) {
          this.inFlight.delete(event.key);
          const { outcome, recorded } = this.gateway.recognise(event.response, event.http);
          this.settle(slot, outcome, recorded);
        }
        break;
      }
    }
    return this.release(event.t);
  }

  /** The end of the stream: everything still held is reported, unanswered ones as such. */
  finish(): DecidedCall[] {
    this.applyRollbacksUntil(Infinity);
    const out: DecidedCall[] = [];
    while (this.heldStart < this.held.length) out.push(this.held[this.heldStart++]!.call);
    this.held.length = 0;
    this.heldStart = 0;
    return out;
  }

  private onCall(event: CallEvent): void {
    const identity = this.identities.get(event.session) ?? this.options.identity;
    const watch = event.argsUnknown ? watchArgs() : undefined;
    const claims = this.claims.get(event.session);
    const call: GatewayCall = { tool: event.tool, args: watch?.args ?? event.args, session: event.session, identity };
    if (claims) call.claims = claims;
    let decision = this.decideCall(call, event.t);
    const undecidable = watch && watch.read.length > 0 ? watch.read : undefined;
    // Its own kind, never counted as what the empty arguments gave; it keeps that decision's reservations.
    if (undecidable) decision = { ...decision, decision: "undecided", message: undecidableMessage(undecidable, decision.message, decision.decision) };
    const slot: Slot = {
      call: {
        session: event.session,
        seq: event.seq,
        t: event.t,
        tool: event.tool,
        args: event.args,
        identity,
        decision,
        recorded: null,
        outcome: null,
        changed: false,
        tape: event.tape,
        line: event.line,
      },
      answered: false,
    };
    if (undecidable) slot.call.undecidable = undecidable;
    if (event.time !== undefined) slot.call.time = event.time;
    this.held.push(slot);
    if (event.answer) {
      // A `call` line carries its answer; its rollback happens when that answer arrived.
      const { outcome, latencyMs, recorded } = event.answer;
      this.report(slot, outcome, recorded);
      if (this.rollsBack(outcome) && decision.reservations.length > 0) {
        this.rollbacks.push(event.t + this.durationOf(latencyMs), decision.reservations);
      }
    } else if (event.key !== undefined) {
      this.inFlight.set(event.key, slot);
      if (this.inFlight.size > MAX_IN_FLIGHT) this.inFlight.delete(this.inFlight.keys().next().value!);
    }
  }

  /**
   * A call held for approval, as a human answers it (`--approvals`): pending, it stays
   * `approval`; refused, it is `deny` by the approval rule; approved, the call goes on through
   * the rest of the policy (Intercept PR #3: the approved retry goes through once) and takes
   * its counters then, or is refused by them.
   */
  private decideCall(call: GatewayCall, now: number): Decision {
    const decision = this.gateway.decide(call, now);
    if (decision.decision !== "approval") return decision;
    switch (this.options.approvals) {
      case "pending":
        return decision;
      case "deny":
        return { ...decision, decision: "deny", message: `a human refused the approval rule ${JSON.stringify(decision.rule)} asked for` };
      case "approve": {
        const approved = this.gateway.decide(call, now, { approve: true });
        return approved.decision === "allow" ? { ...approved, rule: decision.rule, approved: true } : approved;
      }
    }
  }

  /** A request's answer arrived: its decision's reservations go back now if it failed. */
  private settle(slot: Slot, outcome: Outcome, recorded: RecordedDecision | null): void {
    const reservations = slot.call.decision.reservations;
    if (this.rollsBack(outcome) && reservations.length > 0) this.gateway.rollback(reservations);
    if (!slot.answered) this.report(slot, outcome, recorded); // else already reported as unanswered
  }

  /** Completes a call's report with its answer and what the recording shows was decided. */
  private report(slot: Slot, outcome: Outcome, recorded: RecordedDecision | null): void {
    const call = slot.call;
    slot.answered = true;
    call.outcome = outcome;
    call.recorded = recorded;
    // An undecided call (decided without its arguments, or a request no gateway sends) cannot be said to differ from the recording.
    call.changed = recorded !== null && call.decision.decision !== "undecided" && recorded.decision !== call.decision.decision;
  }

  private rollsBack(outcome: Outcome): boolean {
    return outcome === "error" || (outcome === "isError" && this.options.rollbackOn === "error+isError");
  }

  private applyRollbacksUntil(t: number): void {
    while (this.rollbacks.size > 0 && this.rollbacks.peekKey()! <= t) {
      this.gateway.rollback(this.rollbacks.pop()!);
    }
  }

  private release(now: number): readonly DecidedCall[] {
    if (this.heldStart >= this.held.length || !this.releasable(this.held[this.heldStart]!, now)) return NO_CALLS;
    const out: DecidedCall[] = [];
    while (this.heldStart < this.held.length) {
      const head = this.held[this.heldStart]!;
      if (!this.releasable(head, now)) break;
      head.answered = true;
      out.push(head.call);
      this.held[this.heldStart++] = undefined;
    }
    if (this.heldStart > 1024 && this.heldStart * 2 > this.held.length) {
      this.held.splice(0, this.heldStart);
      this.heldStart = 0;
    }
    return out;
  }

  /** The first held call can be reported: answered, or waited for too long (or too many behind it). */
  private releasable(head: Slot, now: number): boolean {
    return head.answered || now - head.call.t > UNANSWERED_AFTER_MS || this.held.length - this.heldStart > MAX_HELD;
  }
}
