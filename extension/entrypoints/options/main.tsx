// Options page entrypoint.
import { render } from 'preact';
import { OptionsPage } from '../../components/OptionsPage';
import { sendMessage } from '../../popup/send';
import '../../popup/popup.css';
import '../../options/options.css';

render(<OptionsPage send={sendMessage} />, document.getElementById('root')!);
