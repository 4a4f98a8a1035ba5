import { render } from 'preact';
import '../../../core/web/base.css';
import './kiosk.css';
import { adoptTokenFromFragment } from './admin-token.js';
import { Kiosk } from './Kiosk.js';

adoptTokenFromFragment();
const app = document.getElementById('app');
if (app) render(<Kiosk />, app);
