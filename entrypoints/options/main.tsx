import { render } from 'preact';
import '../../components/styles.css';
import { messagesLocale, t } from '../../lib/i18n';
import { App } from './App';

document.documentElement.lang = messagesLocale();
document.title = t('extName');
const root = document.getElementById('app');
if (root) render(<App />, root);
