// Claims page entrypoint (claims.html, opened in a tab from the options page).
import { render } from 'preact';
import { ClaimsPage } from '../../components/ClaimsPage';
import { sendMessage } from '../../popup/send';
import '../../popup/popup.css';
import '../../options/options.css';

render(<ClaimsPage send={sendMessage} />, document.getElementById('root')!);
