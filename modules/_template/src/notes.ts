import { randomUUID } from 'node:crypto';

export interface Note {
  readonly id: string;
  readonly text: string;
  readonly author: string;
  readonly createdAt: string;
}

/**
 * The module's own state: notes per organisation, in memory. A real module keeps its data in its
 * own database, or in the platform's memory service.
 */
export class NoteBook {
  private readonly byOrganisation = new Map<string, Note[]>();

  add(organisation: string, author: string, text: string, at: Date): Note {
    const note = { id: randomUUID(), text, author, createdAt: at.toISOString() };
    this.byOrganisation.set(organisation, [...(this.byOrganisation.get(organisation) ?? []), note]);
    return note;
  }

  list(organisation: string): readonly Note[] {
    return this.byOrganisation.get(organisation) ?? [];
  }
}
