import FleetModel
import Foundation
import RegistryModel

/// What every dashboard page shares: the document around its sections, the style, the live-update script
/// and the formatting of ages. Self-contained: nothing is loaded from elsewhere, so it works offline.
enum DashboardLayout {
    /// The page: `live` sections (elements with `data-live` and an id) are replaced in place every
    /// `refreshSeconds` from a fresh copy of the same URL, so the page never reloads and a half-typed filter
    /// keeps its text; without JavaScript the page is simply static.
    static func page(title: String, generatedAt: Date, refreshSeconds: Int, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>
        <style>\(style)</style>
        </head>
        <body data-refresh="\(refreshSeconds)" data-updates="0">
        <header><h1><a href="/">RegistryFleet</a></h1><span class="muted" id="generated" data-live>generated \(HTML.escape(RFC3339.format(generatedAt)))</span><span class="muted">live · every \(refreshSeconds)s</span></header>
        \(body)
        <script>\(script)</script>
        </body>
        </html>
        """
    }

    /// "45s ago", "3m ago", "2h ago", "5d ago": how long before `now`.
    static func age(_ date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "\(seconds)s ago"
        case ..<3600: return "\(seconds / 60)m ago"
        case ..<86_400: return "\(seconds / 3600)h ago"
        default: return "\(seconds / 86_400)d ago"
        }
    }

    /// "in 45s", "in 3m" (or "now" once passed).
    static func remaining(until date: Date, now: Date) -> String {
        let seconds = Int(date.timeIntervalSince(now))
        guard seconds > 0 else { return "now" }
        switch seconds {
        case ..<60: return "in \(seconds)s"
        case ..<3600: return "in \(seconds / 60)m \(seconds % 60)s"
        default: return "in \(seconds / 3600)h \(seconds % 3600 / 60)m"
        }
    }

    /// A link to a cluster's page.
    static func clusterLink(_ name: String) -> String {
        "<a class=\"name\" href=\"/clusters/\(HTML.escape(name))\">\(HTML.escape(name))</a>"
    }

    /// A link to a rollout's page.
    static func rolloutLink(_ id: String, label: String? = nil) -> String {
        "<a class=\"name\" href=\"/rollouts/\(HTML.escape(id))\">\(HTML.escape(label ?? id))</a>"
    }

    /// The state pill.
    static func state(_ state: ClusterState) -> String {
        "<span class=\"state \(state.rawValue.lowercased())\">\(state.rawValue)</span>"
    }

    /// A table inside a box that scrolls sideways on a narrow screen instead of overflowing it.
    static func table(id: String, header: [String], rows: [String], live: Bool = true) -> String {
        """
        <div class="scroll"><table id="\(id)"\(live ? " data-live" : "")><thead><tr>\(header.map { "<th>\($0)</th>" }.joined())</tr></thead>
        <tbody>\(rows.joined(separator: "\n"))</tbody></table></div>
        """
    }

    static let script = """
        (function(){
          var body=document.body, seconds=parseInt(body.dataset.refresh||'5',10)*1000;
          function refresh(){
            fetch(location.href,{headers:{'Accept':'text/html'},cache:'no-store'}).then(function(r){return r.text();}).then(function(text){
              var fresh=new DOMParser().parseFromString(text,'text/html');
              document.querySelectorAll('[data-live]').forEach(function(old){
                var next=old.id&&fresh.getElementById(old.id); if(next){old.replaceWith(next);}
              });
              document.title=fresh.title;
              body.dataset.updates=String(parseInt(body.dataset.updates,10)+1);
              search();
            }).catch(function(){}).finally(function(){setTimeout(refresh,seconds);});
          }
          function search(){
            var box=document.getElementById('search'); if(!box){return;}
            var term=box.value.trim().toLowerCase();
            document.querySelectorAll('#clusters tbody tr').forEach(function(row){
              row.hidden=term!==''&&row.dataset.name.indexOf(term)<0;
            });
          }
          var box=document.getElementById('search'); if(box){box.addEventListener('input',search);}
          search();
          setTimeout(refresh,seconds);
        })();
        """

    static let style = """
        body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
        header{display:flex;flex-wrap:wrap;align-items:baseline;gap:.4rem 1rem;padding:.8rem 1rem;background:#1d2330;color:#fff}
        header a{color:#fff;text-decoration:none}
        h1{font-size:1.3rem;margin:0}h2{font-size:1.05rem;margin:1.2rem 0 .5rem}
        section{padding:0 1rem}.muted{color:#7a8194}.small{font-size:12px}
        .cards{display:flex;flex-wrap:wrap;gap:.6rem;margin-top:1rem}
        .card{background:#fff;border-radius:6px;padding:.6rem .9rem;min-width:6rem;box-shadow:0 1px 2px #0002;display:flex;flex-direction:column}
        .card .count{font-size:1.5rem;font-weight:600}.card.pruning{flex:1 1 16rem}
        .card.healthy .count{color:#1a7f37}.card.degraded .count{color:#cf222e}.card.progressing .count{color:#9a6700}
        .card.offline .count{color:#6e40c9}.card.removed .count{color:#57606a}.card.unknown .count{color:#7a8194}.card.unreachable .count{color:#bc4c00}
        .scroll{overflow-x:auto;max-width:100%}
        table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px #0002}
        th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #eaecef;vertical-align:top}th{background:#f0f2f5;font-weight:600;white-space:nowrap}
        th a{color:inherit}a.name{white-space:nowrap;color:#0969da;text-decoration:none;font-weight:500}
        td.nowrap{white-space:nowrap}
        .state{padding:.1rem .45rem;border-radius:9px;font-size:12px;font-weight:600;background:#eaecef;white-space:nowrap}
        .state.healthy{background:#dafbe1;color:#1a7f37}.state.degraded{background:#ffebe9;color:#cf222e}.state.progressing{background:#fff8c5;color:#9a6700}
        .state.offline{background:#fbefff;color:#6e40c9}.state.removed{background:#eaeef2;color:#57606a}.state.unreachable{background:#fff1e5;color:#bc4c00}
        .label{display:inline-block;background:#eef1f6;border-radius:4px;padding:0 .35rem;font-size:12px;margin:1px;white-space:nowrap}.label.warn{background:#fff8c5}
        form{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0}input,select{padding:.25rem .4rem;max-width:100%}
        .bar{display:inline-block;width:8rem;height:.6rem;background:#eaecef;border-radius:3px;vertical-align:middle}.bar div{height:100%;background:#2da44e;border-radius:3px}
        .frozen{background:#ddf4ff;border-left:4px solid #0969da;padding:.4rem .8rem;margin:.4rem 0}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;background:#fff;padding:.8rem;box-shadow:0 1px 2px #0002;margin:0}dt{font-weight:600}dd{margin:0}
        .phase.failed,.phase.rolledback,.cluster-state.failed{color:#cf222e}.phase.succeeded,.cluster-state.succeeded{color:#1a7f37}.error{color:#cf222e;padding:0 1rem}
        """
}
