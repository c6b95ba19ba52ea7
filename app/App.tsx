import { useEffect } from 'react';
import { DatasetPanel } from './dataset/DatasetPanel';
import { DropZone } from './dataset/DropZone';
import { ExportMenu } from './export/ExportMenu';
import { AnalysisEditor } from './editor/AnalysisEditor';
import { PlotGrid } from './plots/PlotGrid';
import { Cutflow } from './run/Cutflow';
import { RunBar } from './run/RunBar';
import { SessionContext, useApp } from './state/context';
import type { Session } from './state/session';
import { IsolationBanner, StatusBar } from './status/StatusBar';
import { CacheNotice, CachePanel } from './cache/CachePanel';
import { ShareButton } from './share/ShareButton';
import { ShareNotice } from './share/ShareNotice';

function EngineError() {
  const error = useApp((s) => s.engineError);
  return error ? <p className="diag banner-error" role="alert">{error}</p> : null;
}

/** The workbench: data and analysis on the left, the run and its plots on the right. */
export function App({ session }: { session: Session }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void session.runNow(true);
      } else if (e.key === 'Escape' && !e.defaultPrevented && session.state.run.phase === 'running') {
        session.cancelRun();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session]);

  return (
    <SessionContext.Provider value={session}>
      <DropZone />
      <a className="skip" href="#plots">Skip to the plots</a>
      <header className="top">
        <h1>Sift</h1>
        <StatusBar />
        <CachePanel />
        <ShareButton />
      </header>
      <IsolationBanner />
      <ShareNotice />
      <EngineError />
      <CacheNotice />
      <div className="layout">
        <aside className="side" aria-label="data and analysis">
          <DatasetPanel />
          <AnalysisEditor />
        </aside>
        <main className="main">
          <RunBar />
          <ExportMenu />
          <PlotGrid />
          <Cutflow />
        </main>
      </div>
    </SessionContext.Provider>
  );
}
