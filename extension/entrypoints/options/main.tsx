// Options page entrypoint.
import { render } from 'preact';
import { OptionsPage } from '../../components/OptionsPage';
import { sendMessage } from '../../popup/send';
import '../../popup/popup.css';

render(<OptionsPage send={sendMessage} />, document.getElementById('root')!);
