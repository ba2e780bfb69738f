// What an email is, from the template that renders it to the transport that sends it.
export interface Attachment {
  filename: string;
  contentType: string;
  /** Text content (text/calendar and other text types). */
  content: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  attachments?: Attachment[];
}

export interface OutgoingEmail extends RenderedEmail {
  /** Outbox row id: the transport's idempotency key. */
  id: string;
  to: string;
  from: string;
}

/** A way to hand an email to the world. Throwing means "not sent, try again later". */
export interface EmailTransport {
  readonly name: string;
  send(email: OutgoingEmail): Promise<void>;
}

/**
 * Thrown by a transport when trying again cannot help (the provider refused the message itself,
 * e.g. an invalid recipient): the outbox marks the row `failed` at once instead of backing off.
 * It stays visible at GET /admin/outbox?status=failed and can be retried from there.
 */
export class PermanentEmailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEmailError';
  }
}
