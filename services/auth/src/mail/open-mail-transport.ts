import { resolve } from 'node:path';
import { publicBaseUrl, type Logger } from '@lift/kit';
import type { AuthConfig } from '../config.js';
import { mailDropTransport } from './mail-drop-transport.js';
import type { MailTransport } from './mail-transport.js';
import { smtpTransport } from './smtp-transport.js';

/** SMTP when SMTP_URL is set; otherwise files in MAIL_DIR (the laptop's inbox). */
export function openMailTransport(config: Pick<AuthConfig, 'SMTP_URL' | 'MAIL_FROM' | 'MAIL_DIR' | 'PUBLIC_URL' | 'NODE_ENV'>, log: Logger): MailTransport {
  const messageIdDomain = new URL(publicBaseUrl(config)).hostname;
  if (config.SMTP_URL) return smtpTransport({ url: config.SMTP_URL, from: config.MAIL_FROM, messageIdDomain });
  // A production log is shipped and kept: links that sign a person in stay out of it.
  return mailDropTransport({ directory: resolve(config.MAIL_DIR), from: config.MAIL_FROM, messageIdDomain, logText: config.NODE_ENV !== 'production', log });
}
