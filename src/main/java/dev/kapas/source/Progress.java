package dev.kapas.source;

/** Told how much input there is and how much is done, so long scans can show progress. */
public interface Progress {
  Progress NONE = new Progress() {
    @Override
    public void start(String what, int total) {}

    @Override
    public void advance() {}

    @Override
    public void done() {}
  };

  void start(String what, int total);

  /** One unit done; may be called from several threads. */
  void advance();

  void done();
}
