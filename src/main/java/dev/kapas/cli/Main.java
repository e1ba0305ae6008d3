package dev.kapas.cli;

/** Entry point; everything else takes its streams as arguments so tests run in-process. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Kapas.run(args, Env.system()));
  }
}
