/// The one hand-written stylesheet: system fonts, readable contrast (WCAG AA), visible focus,
/// and a layout that holds from a phone (360 px) to a desktop.
enum Stylesheet {
    static let css = """
        :root{--ink:#1b1b1b;--muted:#595959;--line:#d6d6d6;--bg:#fff;--soft:#f4f6f8;--link:#0a4fa3;--good:#1e7b34;--warn:#8a5a00;--bad:#a3130a}
        *{box-sizing:border-box}
        body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:var(--ink);background:var(--bg)}
        a{color:var(--link)}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
        header.top{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;padding:.6rem 1rem;border-bottom:1px solid var(--line);background:var(--soft)}
        header.top .brand{font-weight:700;font-size:1.2rem;text-decoration:none;color:var(--ink)}
        header.top nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
        header.top nav a{text-decoration:none;padding:.2rem 0}header.top nav a[aria-current=page]{font-weight:700;border-bottom:3px solid var(--link)}
        header.top .signout{margin-left:auto;display:flex;gap:.5rem;align-items:center;font-size:.9rem}
        main{max-width:72rem;margin:0 auto;padding:1rem}main.narrow{max-width:28rem;margin-top:3rem}footer{max-width:72rem;margin:2rem auto 1rem;padding:0 1rem;border-top:1px solid var(--line)}
        h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin:1.8rem 0 .6rem}
        .muted{color:var(--muted)}.error{color:var(--bad);font-weight:600}.notice{background:#e8f3ea;border-left:4px solid var(--good);padding:.5rem .8rem}
        table{border-collapse:collapse;width:100%}th,td{padding:.35rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        th{font-weight:600;background:var(--soft)}td.number,th.number{text-align:right;font-variant-numeric:tabular-nums}
        .scroll{overflow-x:auto;max-width:100%}
        input,select,textarea,button{font:inherit;padding:.35rem .5rem;border:1px solid #8c8c8c;border-radius:4px;background:#fff;color:var(--ink)}
        input:not([type=hidden]),select,textarea{min-width:0;max-width:100%}
        button{background:var(--link);color:#fff;border-color:var(--link);cursor:pointer}button.secondary{background:#fff;color:var(--link)}
        form.log input[type=text],form.log select,form.log textarea{width:100%;max-width:28rem}
        form.inline{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.5rem 0}
        .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.6rem;list-style:none;padding:0;margin:1rem 0}
        .tile{border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;background:var(--soft)}
        .tile strong{display:block;font-size:1.5rem;font-variant-numeric:tabular-nums}.tile span{color:var(--muted);font-size:.9rem}
        .tile.good{border-left:5px solid var(--good)}.tile.warn{border-left:5px solid var(--warn)}.tile.bad{border-left:5px solid var(--bad)}
        .tile a{display:block;color:inherit;text-decoration:none}.tile a:hover span,.tile a:focus span{text-decoration:underline}.tile.selected{outline:3px solid var(--link)}
        .pager{color:var(--muted);margin:.5rem 0}
        .badge{display:inline-block;padding:0 .45rem;border-radius:999px;font-size:.8rem;font-weight:600;background:#e6e6e6;color:var(--ink);white-space:nowrap}
        .badge.partnership{background:#d7eddc;color:#14501f}.badge.partnership_at_risk,.badge.cooling_relationship,.badge.pledge_overdue,.badge.goal_off_track{background:#fbe3c9;color:#6b3f00}
        .badge.partnership_candidate,.badge.deep_relationship{background:#dbe7f7;color:#0b3d7a}.badge.transactional,.badge.person_left{background:#f6d5d2;color:#7a1108}
        .badge.person_moved{background:#ece0f5;color:#4b2270}
        .badge.result-pass{background:#d7eddc;color:#14501f}.badge.result-partial{background:#fbe3c9;color:#6b3f00}.badge.result-fail{background:#f6d5d2;color:#7a1108}
        .panel{border:1px solid var(--line);border-radius:6px;padding:.2rem 1rem .6rem;margin:1.5rem 0}.panel.warn{border-left:5px solid var(--bad);background:#fdf3f2}
        .panel h2{margin-top:.8rem}
        ul.alerts{padding-left:1.1rem}ul.alerts li{margin:.25rem 0}
        svg.chart{display:block;max-width:100%;height:auto;font:11px system-ui,sans-serif}svg.chart text{fill:var(--ink)}
        svg.heatmap text.row{text-anchor:end}svg.heatmap a:focus rect,svg.heatmap rect:hover{stroke:#000;stroke-width:2}
        svg.chart text.on-bar{fill:#fff}svg.spark{vertical-align:middle}.goal svg.chart,svg.chart.line{max-width:44rem}svg.chart.balance{max-width:52rem}svg.chart.heatmap{max-width:none}svg.chart.network{max-width:48rem}svg.chart.network text.name{font-size:9px}.scroll svg.chart.line,.scroll svg.chart.balance,.scroll svg.chart.timeline{min-width:30rem}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:1rem 0}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
        .crumbs{font-size:.9rem;margin-top:.4rem}ul.tree{list-style:none;padding-left:0}ul.tree ul{list-style:none;padding-left:1.2rem}
        details summary{cursor:pointer;color:var(--link);margin:.4rem 0}
        @media (max-width:40rem){main{padding:.6rem}h1{font-size:1.35rem}header.top .signout .who{display:none}th,td{padding:.3rem}}
        """
}

/// The one script, a progressive enhancement: fields marked `data-suggest` refresh their list
/// of suggestions from the server as one types. Everything works without it.
enum Script {
    static let js = """
        "use strict";
        document.querySelectorAll("input[data-suggest]").forEach(function (input) {
          var list = document.getElementById(input.getAttribute("list")), timer = null, last = "";
          if (!list) return;
          input.addEventListener("input", function () {
            clearTimeout(timer);
            timer = setTimeout(function () {
              var q = input.value.trim();
              if (q.length < 2 || q === last) return;
              last = q;
              fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
                .then(function (r) { return r.ok ? r.json() : []; })
                .then(function (people) {
                  list.replaceChildren.apply(list, people.map(function (p) {
                    var option = document.createElement("option");
                    option.value = p.name + " (" + p.key + ")";
                    option.label = p.detail;
                    return option;
                  }));
                })
                .catch(function () {});
            }, 150);
          });
        });
        """
}
