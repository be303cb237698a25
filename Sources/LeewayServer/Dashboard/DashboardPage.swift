/// The dashboard's HTML: the skeleton that `DashboardScript` fills in (`GET /`).
enum DashboardPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Leeway — live risk</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard.css">
<script src="/dashboard.js" defer></script>
</head>
<body>
<header>
  <h1>Leeway <span class="subtle">live risk</span></h1>
  <span id="connection" class="pill off" title="WebSocket event stream">connecting…</span>
  <span id="scope" class="pill"></span>
  <span class="subtle">engine clock <b id="clock">–</b></span>
  <span class="subtle">journal <b id="records">–</b> records</span>
  <form id="open-form"><input id="open-account" placeholder="account id" size="12" aria-label="account id"> <button type="submit">Open account</button></form>
  <button id="key-button" type="button">API key…</button>
</header>

<dialog id="key-dialog">
  <form method="dialog" id="key-form">
    <h2>API key</h2>
    <p id="key-reason">This server has API keys configured. Enter yours: a trader key shows only its own accounts.</p>
    <input id="key-input" type="password" autocomplete="off" placeholder="key" size="40">
    <p class="buttons"><button id="key-submit" value="ok">Use key</button> <button id="key-clear" value="clear" type="button">Forget key</button></p>
  </form>
</dialog>

<main>
  <section id="summary" class="cards">
    <div class="card"><div class="label">accounts</div><div class="value" id="accounts">–</div><div class="subtle"><span id="with-positions">–</span> with positions</div></div>
    <div class="card"><div class="label">at risk</div><div class="value" id="at-risk-count">–</div><div class="subtle">warning, margin call or deleveraging</div></div>
    <div class="card wide"><div class="label">accounts by phase</div><div id="phase-chips" class="chips"></div></div>
    <div class="card"><div class="label">insurance fund</div><div class="value" id="fund">–</div><div class="subtle" id="fund-asset"></div></div>
  </section>

  <section class="grid two">
    <div class="panel">
      <h2>Accounts at risk <span class="subtle">by margin ratio MM / equity, highest first</span></h2>
      <div class="scroll"><table id="at-risk">
        <thead><tr><th>account</th><th>phase</th><th class="num">margin ratio</th><th class="num">equity</th><th class="num">MM</th><th class="num">to call</th><th class="num">to liquidation</th><th class="num">deadline</th></tr></thead>
        <tbody></tbody>
      </table></div>
      <p class="subtle" id="at-risk-note"></p>
    </div>
    <div class="panel">
      <h2>Events <span class="subtle" id="feed-rate"></span></h2>
      <div class="filters">
        <select id="feed-type" aria-label="event type"><option value="">all types</option></select>
        <input id="feed-account" type="search" placeholder="account" aria-label="account filter">
        <label><input id="feed-pause" type="checkbox"> pause</label>
      </div>
      <ol id="feed"></ol>
    </div>
  </section>

  <section class="grid two">
    <div class="panel"><h2>Insurance fund over time</h2><svg id="fund-chart" class="chart" viewBox="0 0 600 220" role="img" aria-label="insurance fund over time"></svg></div>
    <div class="panel"><h2>Accounts by phase over time</h2><svg id="phase-chart" class="chart" viewBox="0 0 600 220" role="img" aria-label="accounts by phase over time"></svg><div id="phase-legend" class="legend"></div></div>
  </section>

  <section id="markets"></section>

  <section class="panel" id="account-panel" hidden>
    <h2>Account <span id="account-id"></span> <span id="account-phase" class="phase"></span> <button id="account-close" type="button">close</button></h2>
    <p class="error" id="account-error" hidden></p>
    <div class="grid two">
      <div>
        <table id="account-report" class="kv"></table>
        <h3>Positions</h3>
        <table id="account-positions"><thead><tr><th>market</th><th class="num">size</th><th class="num">entry</th><th class="num">mark</th><th class="num">notional</th><th class="num">uPnL</th><th class="num">MM</th><th class="num">liq. price</th><th class="num">bankr. price</th></tr></thead><tbody></tbody></table>
      </div>
      <div>
        <h3>What-if cure</h3>
        <form id="what-if-form">
          <label>deposit <input id="what-if-deposit" placeholder="amount, e.g. 500" size="14"></label>
          <label>reduce <select id="what-if-market"></select> by <input id="what-if-reduce" placeholder="size" size="10"></label>
          <button id="what-if-submit" type="submit">Compute</button>
        </form>
        <div id="what-if-result" class="hypothetical" hidden>
          <p class="banner">HYPOTHETICAL — nothing was applied; this is the margin report the account would have.</p>
          <table id="what-if-report" class="kv"></table>
        </div>
        <p class="error" id="what-if-error" hidden></p>
      </div>
    </div>
  </section>

  <p class="subtle">Open an account by clicking it. Amounts are the engine's exact decimals, shown rounded. The page polls aggregates
  (<code>/v1/dashboard/overview</code>, <code>/v1/dashboard/history</code>, <code>/v1/markets/{market}/liquidation-map</code>) and follows
  <code>/v1/stream</code>; it loads nothing from any other host.</p>
</main>
</body>
</html>
"""#
}
