/**
 * The designers' demo. One page, two views: the control panel (default) and, inside its preview
 * frame, the stage (`?view=stage`): the mock help page with the real widget and a mock backend.
 */
import { readState } from './lib/state.js';

const params = new URLSearchParams(location.search);
const state = readState(params);
if (params.get('view') === 'stage') {
  const { startStage } = await import('./lib/stage.js');
  await startStage(state);
} else {
  const { startPanel } = await import('./lib/panel.js');
  startPanel(state);
}
