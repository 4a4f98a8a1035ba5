import { render } from 'preact';
import '../../../core/web/base.css';

function Kiosk() {
  return (
    <main>
      <h1>netcred kiosk</h1>
    </main>
  );
}

const app = document.getElementById('app');
if (app) render(<Kiosk />, app);
