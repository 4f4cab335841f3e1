/** The frame's document: empty until the frame script draws the element into it. */
export const FRAME_TITLE = 'Secure payment input frame';

/** `script` is the frame script's URL when the frame is served by the sandbox (not `srcdoc`). */
export function frameHtml(script?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${FRAME_TITLE}</title>
</head>
<body>
${script ? `<script src="${script}"></script>` : ''}
</body>
</html>`;
}
