// Saves a file from an extension page through an <a download> and a blob URL: the browser's own
// download, without the `downloads` permission (least privilege).
import type { ExportFile } from '../messages';

export function saveFile({ filename, text }: ExportFile): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked once the browser has started the download from it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
