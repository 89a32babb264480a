/**
 * What crosses the wire to and from the memory service, as a module sees it through the gateway.
 * The memory service's TypeBox schemas are the source; its test `sdk-wire-types.test.ts` fails to
 * compile when they and these drift apart.
 */
export interface Memory {
  readonly id: string;
  readonly content: string;
  readonly type: string;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly relations: readonly { readonly predicate: string; readonly target: string }[];
  /** `module:<id>` for a module's token, else the user (or API key) that stored it. */
  readonly source: string;
  readonly embeddingModel: string;
  /** Labels a caller sets to narrow searches within the organisation (mem0/Zep style); not access control. */
  readonly userId?: string;
  readonly sessionId?: string;
  /** Its place in one of the organisation's conceptual spaces. */
  readonly dimensions?: ConceptualPlace;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the fact began to hold (its createdAt). */
  readonly validFrom: string;
  /** When it was superseded; absent while current. */
  readonly validTo?: string;
  /** The memory this one replaced, and the one that replaced it. */
  readonly supersedes?: string;
  readonly supersededBy?: string;
}

/** Which versions of facts a read answers: current ones unless it says otherwise. */
export interface MemoryAsOf {
  /** An ISO-8601 timestamp, not in the future: the memories valid at that instant. */
  readonly asOf?: string;
  /** Superseded memories too (with asOf: every memory created by then). */
  readonly includeSuperseded?: boolean;
}

export interface ConceptualPlace {
  readonly space: string;
  /** A number within its range for every dimension of the space. */
  readonly values: Readonly<Record<string, number>>;
}

export interface MemoryInput {
  readonly content: string;
  /** `general` unless given; a module may write only the types its manifest declares. */
  readonly type?: string;
  readonly tags?: readonly string[];
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly relations?: readonly { readonly predicate: string; readonly target: string }[];
  readonly userId?: string;
  readonly sessionId?: string;
  readonly dimensions?: ConceptualPlace;
  /** A current memory this one replaces: it stays, valid until now, and reads leave it out. */
  readonly supersedes?: string;
  /** `merge`: supersede the current near-duplicate (same type, userId, sessionId; cosine ≥ 0.95) if there is one. */
  readonly onDuplicate?: 'keep' | 'merge';
}

/** A new version of a memory: new content; the other fields given replace the old version's, the rest are kept. */
export type MemorySupersedeInput = Omit<MemoryInput, 'supersedes' | 'onDuplicate'>;

export type MemorySearchMode = 'hybrid' | 'neural' | 'fulltext' | 'knowledge' | 'conceptual';

export interface MemorySearchRequest extends MemoryAsOf {
  /** Required in every mode but `conceptual`, which ranks by `space` and `point` alone. */
  readonly query?: string;
  /** `hybrid` unless given; a module may use only the kinds its manifest declares (`searchTypes`). */
  readonly mode?: MemorySearchMode;
  readonly limit?: number;
  readonly minScore?: number;
  readonly filters?: {
    readonly types?: readonly string[];
    readonly tags?: readonly string[];
    readonly sources?: readonly string[];
    readonly metadata?: Readonly<Record<string, string | number | boolean>>;
    readonly from?: string;
    readonly to?: string;
    readonly userId?: string;
    readonly sessionId?: string;
  };
  /** A conceptual space and a point in it: `conceptual` ranks by distance from it, and `hybrid` fuses that in. */
  readonly space?: string;
  readonly point?: Readonly<Record<string, number>>;
  readonly weights?: {
    readonly fulltext?: number;
    readonly neural?: number;
    readonly knowledge?: number;
    readonly conceptual?: number;
    /** Per dimension of `space`, replacing the space's own weights. */
    readonly dimensions?: Readonly<Record<string, number>>;
  };
}

export interface MemorySearchHit {
  readonly memory: Memory;
  readonly score: number;
  /** The score each signal gave, for the signals that found it. */
  readonly signals: { readonly fulltext?: number; readonly neural?: number; readonly knowledge?: number; readonly conceptual?: number };
}

export interface MemorySearchAnswer {
  readonly items: readonly MemorySearchHit[];
  readonly mode: MemorySearchMode;
  readonly tookMs: number;
}

export interface RelatedMemory {
  readonly memory: Memory;
  /** Relations between it and the starting memory. */
  readonly depth: number;
  readonly via: { readonly from: string; readonly predicate: string; readonly direction: 'outgoing' | 'incoming' };
}
