// A scriptable CNI plugin for runtime tests. Installed under several names (its `type`);
// behaviour comes from config fields: `log` (file to append one JSON line per call),
// `addIp` (address appended to ips on ADD), `onAdd` ("ok" | "fail" | "hang" | "garbage" |
// "silent"), `failCheck` (CHECK fails), `failDel` (DEL fails).
import { appendFileSync, readFileSync } from 'node:fs';

const conf = JSON.parse(readFileSync(0, 'utf8'));
const cmd = process.env.CNI_COMMAND;
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('CNI_')));
if (conf.log) appendFileSync(conf.log, JSON.stringify({ cmd, type: conf.type, env, conf }) + '\n');

function error(code, msg, details) {
  process.stdout.write(JSON.stringify({ cniVersion: conf.cniVersion, code, msg, details }));
  process.exit(1);
}

if (cmd === 'VERSION') {
  process.stdout.write(JSON.stringify({ cniVersion: '1.0.0', supportedVersions: ['1.0.0'] }));
} else if (cmd === 'ADD') {
  const mode = conf.onAdd ?? 'ok';
  if (mode === 'fail') error(100, `${conf.type} refused`, 'on purpose');
  if (mode === 'hang') setTimeout(() => {}, 1e9);
  else if (mode === 'garbage') { process.stderr.write('panic: something broke\n'); process.exit(2); }
  else if (mode === 'silent') process.exit(0);
  else {
    const result = conf.prevResult ?? { cniVersion: conf.cniVersion, interfaces: [], ips: [] };
    if (conf.addIp) result.ips.push({ address: conf.addIp });
    process.stdout.write(JSON.stringify(result));
  }
} else if (cmd === 'CHECK') {
  if (conf.failCheck) error(3, `${conf.type}: container is gone`);
} else if (cmd === 'DEL') {
  if (conf.failDel) error(11, `${conf.type}: try again later`);
}
