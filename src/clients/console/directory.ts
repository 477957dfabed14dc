// Who and what the console names: users, inboxes, teams, tags and contacts, read once and kept (contacts on demand,
// one request per contact however many rows ask at once).
import type { ContactDto, InboxDto, SwitchboardClient, TagDto, TeamDto, UserDto } from '../sdk/index.ts';

export class Directory {
  readonly users = new Map<string, UserDto>();
  readonly inboxes = new Map<string, InboxDto>();
  readonly tags = new Map<string, TagDto>();
  readonly teams = new Map<string, TeamDto>();
  readonly #contacts = new Map<string, ContactDto | null>();
  readonly #pending = new Map<string, Promise<ContactDto | null>>();
  readonly #client: SwitchboardClient;
  /** Called when a contact arrives, so that rows showing its id can show its name. */
  onContact: (contact: ContactDto) => void = () => undefined;

  constructor(client: SwitchboardClient) {
    this.#client = client;
  }

  async load(): Promise<void> {
    const [users, inboxes, tags, contacts, teams] = await Promise.all([
      this.#client.http<{ users: UserDto[] }>('GET', '/v1/users').catch(() => ({ users: [] })),
      this.#client.http<{ inboxes: InboxDto[] }>('GET', '/v1/inboxes').catch(() => ({ inboxes: [] })),
      this.#client.http<{ tags: TagDto[] }>('GET', '/v1/tags').catch(() => ({ tags: [] })),
      this.#client.http<{ contacts: ContactDto[] }>('GET', '/v1/contacts?limit=100').catch(() => ({ contacts: [] })),
      this.#client.http<{ teams: TeamDto[] }>('GET', '/v1/teams').catch(() => ({ teams: [] })),
    ]);
    for (const t of teams.teams) this.teams.set(t.id, t);
    for (const u of users.users) this.users.set(u.id, u);
    for (const i of inboxes.inboxes) this.inboxes.set(i.id, i);
    for (const t of tags.tags) this.tags.set(t.id, t);
    for (const c of contacts.contacts) this.#contacts.set(c.id, c);
  }

  userName(id: string | null | undefined): string {
    return id ? this.users.get(id)?.name ?? 'someone' : 'nobody';
  }

  /** The contact if known; else null now, and `onContact` once it has been read. */
  contact(id: string | null | undefined): ContactDto | null {
    if (!id) return null;
    if (this.#contacts.has(id)) return this.#contacts.get(id) ?? null;
    void this.fetchContact(id);
    return null;
  }

  fetchContact(id: string): Promise<ContactDto | null> {
    if (this.#contacts.has(id)) return Promise.resolve(this.#contacts.get(id) ?? null);
    let pending = this.#pending.get(id);
    if (!pending) {
      pending = this.#client.http<{ contact: ContactDto }>('GET', `/v1/contacts/${id}`)
        .then(({ contact }) => {
          this.#contacts.set(id, contact);
          this.onContact(contact);
          return contact;
        })
        .catch(() => { this.#contacts.set(id, null); return null; })
        .finally(() => this.#pending.delete(id));
      this.#pending.set(id, pending);
    }
    return pending;
  }
}
