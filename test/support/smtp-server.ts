/**
 * A tiny SMTP server for tests (node:net): enough of RFC 5321 for nodemailer — EHLO, MAIL, RCPT, DATA,
 * RSET, NOOP, QUIT — keeping each message received. No TLS, no AUTH. `failNext(n)` answers the next n
 * RCPT commands with a temporary failure (451), as a busy server does.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

export async function startSmtpServer(): Promise<{ url: string; mails: ReceivedMail[]; failNext(n: number): void; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  let failures = 0;
  const server: Server = createServer((socket: Socket) => {
    let mail: ReceivedMail = { from: "", to: [], data: "" };
    let inData = false;
    let buffer = "";
    const reply = (line: string) => socket.write(line + "\r\n");
    reply("220 test-smtp ready");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (let i = buffer.indexOf("\r\n"); i >= 0; i = buffer.indexOf("\r\n")) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            mails.push(mail);
            mail = { from: "", to: [], data: "" };
            reply("250 queued");
          } else mail.data += (line.startsWith("..") ? line.slice(1) : line) + "\n";
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO") reply("250-test-smtp\r\n250 8BITMIME");
        else if (verb === "HELO") reply("250 test-smtp");
        else if (verb === "MAIL") (mail.from = line.slice(10).replace(/[<>]/g, "").split(" ")[0]!), reply("250 ok");
        else if (verb === "RCPT" && failures > 0) failures--, reply("451 4.3.0 mailbox busy, try again later");
        else if (verb === "RCPT") mail.to.push(line.slice(8).replace(/[<>]/g, "").split(" ")[0]!), reply("250 ok");
        else if (verb === "DATA") (inData = true), reply("354 end with .");
        else if (verb === "QUIT") reply("221 bye"), socket.end();
        else reply("250 ok");
      }
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, failNext: (n) => void (failures += n), close: () => new Promise((r) => server.close(() => r())) };
}
