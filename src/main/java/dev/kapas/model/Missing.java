package dev.kapas.model;

/** The absent value: what navigation returns for a key or index that is not there. */
public enum Missing implements Node {
  INSTANCE;

  @Override
  public int line() {
    return 0;
  }

  @Override
  public int column() {
    return 0;
  }

  @Override
  public boolean isMissing() {
    return true;
  }

  @Override
  public boolean isNull() {
    return true;
  }
}
