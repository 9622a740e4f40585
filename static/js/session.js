// Warns two minutes before a signed-in session ends for lack of activity
// (body[data-session-idle], seconds) and offers to stay signed in: any
// authenticated request (/api/auth/me) restarts the idle clock.
export function watchSession(body) {
  const idle = Number(body.dataset.sessionIdle);
  if (!idle) return;
  const lead = Math.min(120, Math.floor(idle / 2));
  let warnTimer = 0;
  let endTimer = 0;
  let box = null;

  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(warn, (idle - lead) * 1000);
  };
  const expired = () => {
    const text = box.querySelector('p');
    text.textContent = 'Uw sessie is verlopen. Log opnieuw in om verder te gaan.';
    const link = document.createElement('a');
    link.href = `/inloggen?next=${encodeURIComponent(window.location.pathname + window.location.search)}`;
    link.textContent = 'Inloggen';
    link.className = 'utrecht-link';
    box.querySelector('button').replaceWith(link);
  };
  function warn() {
    box = document.createElement('div');
    box.className = 'kpo-session-warning';
    box.setAttribute('role', 'alert');
    const text = document.createElement('p');
    text.textContent = `Uw sessie verloopt over ${Math.round(lead / 60)} minuten. Wilt u ingelogd blijven?`;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'utrecht-button utrecht-button--primary-action';
    button.textContent = 'Ingelogd blijven';
    button.addEventListener('click', async () => {
      const response = await fetch('/api/auth/me', { credentials: 'same-origin' }).catch(() => null);
      if (response && response.ok) {
        box.remove();
        box = null;
        schedule();
      } else {
        expired();
      }
    });
    box.append(text, button);
    document.body.append(box);
    endTimer = setTimeout(expired, lead * 1000);
  }
  schedule();
}
