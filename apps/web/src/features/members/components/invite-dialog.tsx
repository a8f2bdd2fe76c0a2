import { zodResolver } from '@hookform/resolvers/zod';
import { CreateInvitationRequest, type CreateInvitationResponse } from '@runner-console/contracts';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '../../../components/ui/button.tsx';
import { CopyField } from '../../../components/ui/copy-field.tsx';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogFooter,
  DialogTrigger,
} from '../../../components/ui/dialog.tsx';
import { FieldFrame, TextField } from '../../../components/ui/text-field.tsx';
import { isApiRequestError } from '../../../lib/api-client.ts';
import { formatDateTime } from '../../../lib/format-time.ts';
import { useIntentKeys } from '../../../lib/intent-keys.ts';
import { useCreateInvitation } from '../api/member-queries.ts';

const FORM_ID = 'invite-member-form';

/** Invite: e-mail and role, then the single-use link to copy (shown once; only its hash is kept). */
export function InviteDialog() {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger>
        <Button variant="primary">Invite a member</Button>
      </DialogTrigger>
      {open ? <InviteDialogContent onDone={() => setOpen(false)} /> : null}
    </Dialog>
  );
}

function InviteDialogContent({ onDone }: { onDone: () => void }) {
  const invite = useCreateInvitation();
  const keys = useIntentKeys();
  const [created, setCreated] = useState<CreateInvitationResponse | null>(null);
  const form = useForm({
    resolver: zodResolver(CreateInvitationRequest),
    mode: 'onTouched',
    defaultValues: { email: '', role: 'member' as const },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((body) => {
    if (invite.isPending) return;
    invite.mutate(
      { body, idempotencyKey: keys.keyFor(body) },
      {
        onSuccess: setCreated,
        onError: (error) => {
          if (isApiRequestError(error) && error.fields.email)
            form.setError('email', { message: error.fields.email });
        },
      },
    );
  });

  if (created) {
    return (
      <DialogContent
        title="Send this invitation link"
        description={
          <>
            Send it to {created.invitation.email} in a way you trust (chat, e-mail). It works once,
            until {formatDateTime(created.invitation.expiresAt)}, and makes them{' '}
            {created.invitation.role === 'admin' ? 'an admin' : 'a member'}. It is shown only now.
          </>
        }
        closeOnOutsideClick={false}
      >
        <CopyField label="Invitation link" value={created.url} multiline />
        <DialogFooter>
          <Button
            onClick={() => {
              keys.forget();
              form.reset();
              invite.reset();
              setCreated(null);
            }}
          >
            Invite someone else
          </Button>
          <Button variant="primary" onClick={onDone} data-autofocus="">
            Done
          </Button>
        </DialogFooter>
      </DialogContent>
    );
  }

  return (
    <DialogContent
      title="Invite a member"
      description="They get a link that works once and expires in 7 days."
      dismissible={!invite.isPending}
      closeOnOutsideClick={false}
    >
      <form id={FORM_ID} className="form" noValidate onSubmit={(event) => void onSubmit(event)}>
        <TextField
          label="Email"
          type="email"
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="none"
          error={errors.email?.message}
          {...form.register('email')}
        />
        <FieldFrame
          label="Role"
          hint="Admins manage runners, integrations and members. Members connect their own accounts and create environments."
        >
          {(control) => (
            <select className="select" {...control} {...form.register('role')}>
              <option value="member">Member</option>
              <option value="admin">Admin</option>
            </select>
          )}
        </FieldFrame>
        {invite.isError && !errors.email ? (
          <div className="form-alert" role="alert">
            {invite.error.message}
          </div>
        ) : null}
      </form>
      <DialogFooter>
        <DialogClose>
          <Button disabled={invite.isPending}>Cancel</Button>
        </DialogClose>
        <Button type="submit" form={FORM_ID} variant="primary" pending={invite.isPending}>
          Create invitation link
        </Button>
      </DialogFooter>
    </DialogContent>
  );
}
