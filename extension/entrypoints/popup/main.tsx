// Popup entrypoint: builds the app state and renders the view.
import { render } from 'preact';
import { App } from '../../components/App';
import { AppContext, createAppState } from '../../popup/app-state';
import { ext } from '../../popup/native';
import { sendMessage } from '../../popup/send';
import { createPopupStore } from '../../popup/store';

const app = createAppState({
  send: sendMessage,
  store: createPopupStore(),
  openOptions: () => void ext().runtime.openOptionsPage(),
});

// Opened as a small window by the context menu (where openPopup is refused).
if (new URLSearchParams(location.search).has('window')) document.documentElement.classList.add('in-window');

const root = document.getElementById('root')!;
root.replaceChildren(); // the static "Loading…" of index.html
render(
  <AppContext.Provider value={app}>
    <App />
  </AppContext.Provider>,
  root,
);
// Asked now rather than after the first frame (App's effect): the background and storage answer while
// the frame is drawn.
void app.start();
