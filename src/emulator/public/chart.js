// Draws a card's `chart_spec` with VChart, as Lark does. VChart's browser build is served by the
// emulator from node_modules and loaded the first time a chart appears.
let loading;

function loadVChart() {
  if (globalThis.VChart) return Promise.resolve(globalThis.VChart);
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/emulator/vendor/vchart.js';
    script.onload = () => resolve(globalThis.VChart);
    script.onerror = () => reject(new Error('VChart 没有加载成功'));
    document.head.append(script);
  });
  return loading;
}

export async function drawChart(node, spec) {
  const lib = await loadVChart();
  const VChart = lib?.default ?? lib?.VChart ?? lib;
  if (typeof VChart !== 'function') throw new Error('VChart 不可用');
  const chart = new VChart(structuredClone(spec), { dom: node, animation: false });
  await chart.renderAsync();
  node.dataset.rendered = 'true';
  return chart;
}
