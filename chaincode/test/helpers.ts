import { ChaincodeError } from '../src/codes';

/** The chaincode error code `run` throws, or 'no error'. */
export function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof ChaincodeError) {
      // The code must also lead the message: only the message crosses to the client.
      if (!err.message.startsWith(`${err.code}: `))
        throw new Error(`message does not start with its code: ${err.message}`);
      return err.code;
    }
    throw err;
  }
  return 'no error';
}
