// The pictures of the easy read documents, taken at build time (npm run build) from OpenMoji
// (CC BY-SA 4.0, the npm package @iconify-json/openmoji pinned in package.json) into
// build/static/documents/easy-read/<name>.svg, with the licence beside them. Nothing is copied
// by hand; the templates use {% static 'documents/easy-read/<name>.svg' %}.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const SOURCE = "node_modules/@iconify-json/openmoji";
const OUT = "build/static/documents/easy-read";
// One picture for each idea of the easy read contract and appointment letter.
const PICTURES = [
  "balance-scale", // do not break the law
  "envelope", // a letter of apology
  "handshake", // put things right with the victim
  "people-hugging", // get help
  "broom", // unpaid work in the community
  "round-pushpin", // a GPS tag; where to go
  "spiral-calendar", // dates
  "alarm-clock", // time
  "chequered-flag", // when the contract ends
  "warning", // if you break a condition
  "police-officer", // prosecution
  "telephone-receiver", // call your navigator
  "raised-hand", // you can stop
  "locked", // your information
  "backpack", // what to bring
  "writing-hand", // sign
];

const set = JSON.parse(readFileSync(`${SOURCE}/icons.json`, "utf8"));
const info = JSON.parse(readFileSync(`${SOURCE}/info.json`, "utf8"));
const { version } = JSON.parse(readFileSync(`${SOURCE}/package.json`, "utf8"));
mkdirSync(OUT, { recursive: true });
for (const name of PICTURES) {
  const icon = set.icons[name];
  if (!icon) throw new Error(`OpenMoji has no picture called ${name}`);
  const width = icon.width ?? set.width;
  const height = icon.height ?? set.height;
  writeFileSync(
    `${OUT}/${name}.svg`,
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" ` +
      `width="${width}" height="${height}" aria-hidden="true">${icon.body}</svg>\n`,
  );
}
writeFileSync(
  `${OUT}/LICENCE.txt`,
  `The pictures in this folder are from ${info.name} (${info.author.url}),\n` +
    `taken from the npm package @iconify-json/openmoji ${version}.\n` +
    `Licence: ${info.license.title} (${info.license.url}).\n` +
    `They are used unchanged. Each easy read document credits them.\n`,
);
